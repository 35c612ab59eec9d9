package blog.openmem.server;

import static blog.openmem.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import blog.openmem.spi.error.ConfigurationException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Configuration, start and exit status, idempotency across restarts, and database outages. */
class ServerLifecycleTest {

    @Test
    void flagsBeatEnvironmentBeatDefaults() {
        ServerConfig d = ServerConfig.parse(new String[0], Map.of());
        assertEquals("postgres", d.provider());
        assertEquals("127.0.0.1", d.host());
        assertEquals(8080, d.port());
        assertEquals(1024 * 1024, d.maxRequestBytes());
        ServerConfig env = ServerConfig.parse(new String[0], Map.of("OMP_PORT", "9000", "OMP_HOST", "0.0.0.0",
                "OMP_POSTGRES_URL", "postgres://db/omp", "OMP_MAX_REQUEST_BYTES", "2048"));
        assertEquals(9000, env.port());
        assertEquals("postgres://db/omp", env.provider());
        assertEquals(2048, env.maxRequestBytes());
        ServerConfig flag = ServerConfig.parse(new String[] {"--port", "7000", "--provider=mem0"},
                Map.of("OMP_PORT", "9000", "MEM0_API_KEY", "sk-m"));
        assertEquals(7000, flag.port());
        assertEquals("mem0", flag.provider());
        assertTrue(flag.providerSettings().isEmpty(), "vendor keys are the provider factory's to read");
        for (String[] bad : List.of(new String[] {"--port", "99999"}, new String[] {"--port", "x"},
                new String[] {"--max-request-bytes", "10"}, new String[] {"--log-level", "loud"},
                new String[] {"--bogus", "1"}, new String[] {"--cors-origins", "not an origin"},
                new String[] {"--port"})) {
            assertThrows(ConfigurationException.class, () -> ServerConfig.parse(bad, Map.of()), String.join(" ", bad));
        }
        assertTrue(ServerConfig.help().contains("--api-keys-file") && ServerConfig.help().contains("OMP_MAX_REQUEST_BYTES") && ServerConfig.help().contains("--data-dir V") && ServerConfig.help().contains("[OMP_PASSTHROUGH_BASE_URL]"));
        for (String key : List.of("MEM0_API_KEY", "SUPERMEMORY_API_KEY", "LETTA_API_KEY")) {
            assertTrue(ServerConfig.help().contains(key), "--help names the key variable the factory declares: " + key);
        }
    }

    /** Runs the real main in a child JVM. */
    static Process java(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OmpServer.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void badConfigurationExitsWithStatus2AndOneLine() throws Exception {
        for (String[] args : List.of(new String[] {"--port", "nope"},
                new String[] {"--provider", "nosuch"},
                new String[] {"--url", "postgres://omp:hunter2@127.0.0.1:1/none"})) {
            Process p = java(args);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(2, p.exitValue(), out);
            List<String> lines = out.lines().toList();
            assertTrue(lines.get(lines.size() - 1).startsWith("omp-server: "), out);
            assertEquals(1, out.lines().filter(l -> l.startsWith("omp-server")).count(), out);
            assertFalse(out.contains("hunter2") || out.contains("\tat "), out);
        }
        Process help = java("--help");
        assertTrue(help.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue());
        assertTrue(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("--data-dir"));
    }

    @Test
    void anIdempotentAddSurvivesARestart() throws Exception {
        String key = "idem-" + UUID.randomUUID();
        String body = "{\"content\":\"charged card once\",\"user_id\":\"idem-" + key + "\"}";
        String firstId;
        try (OmpServer s = ServerTestSupport.start(null)) {
            Resp first = send(s, "POST", "/memories", body, "Idempotency-Key", key);
            assertEquals(201, first.status());
            firstId = first.json().get("id").asText();
        }
        try (OmpServer s = ServerTestSupport.start(null)) {
            Resp again = send(s, "POST", "/memories", body, "Idempotency-Key", key);
            assertEquals(200, again.status(), again.raw());
            assertEquals(firstId, again.json().get("id").asText());
            assertEquals(1, send(s, "GET", "/memories?user_id=idem-" + key, null).json().get("items").size());
            BadInputTest.assertEnvelope(send(s, "POST", "/memories", body, "Idempotency-Key", "has spaces in it"), 400,
                    "Idempotency-Key");
        }
    }

    @Test
    void databaseDownIs503QuicklyAndRecoversWithoutRestart() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        Path dir = Path.of("target", "embedded-pg", "outage-" + ProcessHandle.current().pid()).toAbsolutePath();
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false)
                .setPort(port).start();
        OmpServer server = OmpServer.start(ServerConfig.parse(new String[] {"--url",
                "postgres://postgres@localhost:" + port + "/postgres", "--port", "0", "--embedder", "hash"}, Map.of()),
                null);
        try {
            String user = "outage-" + UUID.randomUUID();
            assertEquals(201, send(server, "POST", "/memories", "{\"content\":\"before\",\"user_id\":\"" + user + "\"}")
                    .status());
            pg.close();
            for (String path : List.of("/memories?user_id=" + user, "/memories/search?q=before&user_id=" + user,
                    "/healthz")) {
                long t0 = System.nanoTime();
                Resp r = send(server, "GET", path, null);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                BadInputTest.assertEnvelope(r, 503, null);
                assertEquals("provider_unavailable", r.json().path("error").path("code").asText());
                assertTrue(ms < 2000, path + " took " + ms + " ms");
            }
            pg = EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false).setPort(port)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int status = 0;
            while (System.nanoTime() < deadline && status != 200) {
                status = send(server, "GET", "/healthz", null).status();
                if (status != 200) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, "recovered without a restart");
            assertEquals(1, send(server, "GET", "/memories?user_id=" + user, null).json().get("items").size());
        } finally {
            server.close();
            pg.close();
        }
    }
}
