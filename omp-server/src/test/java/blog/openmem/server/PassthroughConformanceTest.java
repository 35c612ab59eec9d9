package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import blog.openmem.core.Memory;
import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The whole TCK, unchanged, through the passthrough adapter against a real omp-server (postgres
 * provider) started on a random port: what adapter-postgres passes in process must hold over HTTP.
 */
class PassthroughConformanceTest extends MemoryProviderContract {
    private OmpServer server;

    @Override
    protected Memory createMemory() {
        server = ServerTestSupport.start(null);
        return Memory.builder().config(ServerTestSupport.base(server)).build();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theAdapterIsPassthroughWithTheRemoteCapabilities() {
        assertEquals("passthrough", memory().providerId());
        assertEquals("postgres", capabilities().provider());
    }

    @Test
    void aServerCanFrontAnotherOmpServer() throws Exception {
        try (OmpServer front = OmpServer.start(ServerConfig.parse(new String[] {"--base-url",
                ServerTestSupport.base(server), "--port", "0"}, java.util.Map.of()), null)) {
            assertEquals("omp-server: serving passthrough at http://127.0.0.1:" + front.port()
                    + " (open access: no API keys configured)", front.startLine());
            String user = newUser();
            ServerTestSupport.Resp added = ServerTestSupport.send(front, "POST", "/memories",
                    "{\"user_id\":\"" + user + "\",\"content\":\"fronted fact\"}");
            assertEquals(201, added.status(), added.raw());
            String id = added.json().get("id").asText();
            assertEquals("fronted fact", memory().get(id, user).content(), "stored in the server behind");
            ServerTestSupport.Resp missing = ServerTestSupport.send(front, "GET", "/memories/nope%2Fid", null);
            assertEquals(404, missing.status());
            assertEquals("not_found", missing.json().path("error").path("code").asText());
        }
    }
}
