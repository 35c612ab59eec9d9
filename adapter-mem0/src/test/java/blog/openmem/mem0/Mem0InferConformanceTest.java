package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.sim.SimulatedConformance;

/**
 * The whole TCK with {@code infer=true} on the platform: every add is an event that Mem0 runs
 * (PENDING, then SUCCEEDED on the first poll in this run), and {@code wait_for_ingestion} makes add
 * return the memory Mem0 stored, under its own id. The queued path itself is in Mem0FailureTest.
 */
class Mem0InferConformanceTest extends SimulatedConformance<Mem0PlatformSim> {
    @Override
    protected Mem0PlatformSim startSimulator() {
        return ((Mem0PlatformSim) new Mem0PlatformSim().start()).pollsUntilDone(1);
    }

    @Override
    protected Memory client(Mem0PlatformSim sim) {
        return Memory.builder().config("mem0").setting("base_url", sim.url())
                .setting("api_key", Mem0PlatformSim.API_KEY).setting("infer", "true")
                .setting("wait_for_ingestion", "true").build();
    }
}
