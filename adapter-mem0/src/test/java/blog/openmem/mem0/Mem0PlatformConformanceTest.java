package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.AfterAll;

/** The whole TCK, unchanged, on Mem0's hosted platform API (simulated, checked against its OpenAPI file). */
class Mem0PlatformConformanceTest extends MemoryProviderContract {
    private Mem0PlatformSim sim;

    @Override
    protected Memory createMemory() {
        sim = (Mem0PlatformSim) new Mem0PlatformSim().start();
        return Memory.builder().config("mem0").setting("base_url", sim.url())
                .setting("api_key", Mem0PlatformSim.API_KEY).build();
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
