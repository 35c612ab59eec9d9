package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK with {@code infer=true} on the platform: every add is an event that Mem0 runs
 * (PENDING, RUNNING, SUCCEEDED in the simulator), and {@code wait_for_ingestion} makes add return
 * the memory Mem0 stored, under its own id.
 */
class Mem0InferConformanceTest extends MemoryProviderContract {
    private Mem0PlatformSim sim;

    @Override
    protected Memory createMemory() {
        sim = ((Mem0PlatformSim) new Mem0PlatformSim().start()).pollsUntilDone(1);
        return Memory.builder().config("mem0").setting("base_url", sim.url())
                .setting("api_key", Mem0PlatformSim.API_KEY).setting("infer", "true")
                .setting("wait_for_ingestion", "true").build();
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
