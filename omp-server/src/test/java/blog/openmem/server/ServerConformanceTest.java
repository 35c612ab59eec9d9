package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.tck.http.HttpConformance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The black-box HTTP conformance runner of omp-tck against the real server on PostgreSQL. */
class ServerConformanceTest {
    @Test
    void theHttpConformanceRunnerPasses() {
        try (OmpServer server = ServerTestSupport.start(null, "--cors-origins", "https://app.example.com")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            HttpConformance.Result r = new HttpConformance(ServerTestSupport.base(server), null,
                    "https://app.example.com", new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
            String report = buf.toString(StandardCharsets.UTF_8);
            assertEquals(0, r.failed(), report);
            assertTrue(r.passed() >= 27, report);
            assertTrue(report.contains("PASS CORS preflight"), report);
            assertTrue(report.endsWith(r.passed() + " passed, 0 failed\n"), report);
        }
    }

    @Test
    void theStartLineNamesProviderAndAddress() {
        try (OmpServer server = ServerTestSupport.start(null)) {
            assertEquals("omp-server: serving postgres at http://127.0.0.1:" + server.port()
                    + " (open access: no API keys configured)", server.startLine());
        }
    }
}
