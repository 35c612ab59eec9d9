package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0OssSim;
import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.AfterAll;

/** The whole TCK, unchanged, on Mem0's self-hosted REST server (simulated, checked against its derived OpenAPI file). */
class Mem0OssConformanceTest extends MemoryProviderContract {
    private Mem0OssSim sim;

    @Override
    protected Memory createMemory() {
        sim = (Mem0OssSim) new Mem0OssSim().start();
        return Memory.builder().config("mem0-oss://" + sim.url().substring("http://".length()))
                .setting("api_key", Mem0OssSim.API_KEY).build();
    }

    @AfterAll
    void noOpenApiViolations() {
        try {
            sim.assertClean();
        } finally {
            sim.close();
        }
    }
}
