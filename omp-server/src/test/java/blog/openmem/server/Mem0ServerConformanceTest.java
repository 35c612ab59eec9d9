package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.tck.http.HttpConformance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The black-box HTTP conformance runner against omp-server → adapter-mem0 → the Mem0 platform
 * simulator.
 */
class Mem0ServerConformanceTest {
    @Test
    void theRunnerPassesThroughTheServerToMem0() {
        try (Mem0PlatformSim sim = (Mem0PlatformSim) new Mem0PlatformSim().start()) {
            ServerConfig config = ServerConfig.parse(new String[] {"--provider", "mem0", "--port", "0"}, Map.of());
            try (OmpServer server = OmpServer.start(withSettings(config, sim.url()), null)) {
                assertTrue(server.startLine().startsWith("omp-server: serving mem0 at"), server.startLine());
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                HttpConformance.Result r = new HttpConformance(ServerTestSupport.base(server), null,
                        new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
                String report = buf.toString(StandardCharsets.UTF_8);
                assertEquals(0, r.failed(), report);
                int before = sim.requestCount();
                for (int i = 0; i < 5; i++) {
                    assertEquals(200, ServerTestSupport.send(server, "GET", "/healthz", null).status());
                }
                assertEquals(before, sim.requestCount(), "health probes after recent answers cost no vendor call");
            }
            sim.assertClean();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The configuration with the simulator's address and key as provider settings: what
     * {@code OMP_MEM0_BASE_URL} and {@code MEM0_API_KEY} give a real start.
     */
    private static ServerConfig withSettings(ServerConfig c, String url) {
        return new ServerConfig(c.provider(), c.host(), c.port(), c.maxRequestBytes(), c.corsOrigins(), c.logLevel(),
                c.postgresUrl(), c.baseUrl(), c.dataDir(), c.apiKeysFile(), c.embedder(),
                Map.of("api_key", Mem0PlatformSim.API_KEY, "base_url", url), c.bodyTimeoutMs());
    }
}
