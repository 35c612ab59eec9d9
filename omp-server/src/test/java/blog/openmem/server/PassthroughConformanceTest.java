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
}
