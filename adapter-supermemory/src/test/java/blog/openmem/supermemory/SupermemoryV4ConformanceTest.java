package blog.openmem.supermemory;

import blog.openmem.core.Memory;
import blog.openmem.sim.SimulatedConformance;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV4Sim;
import java.time.Duration;

/**
 * The whole TCK with {@code api_version=v4} on the legacy (v3/v4) simulator, the default
 * {@code superrag} task type, every document processed after two reads. The class fails if any
 * request or answer broke the verbatim v3/v4 OpenAPI file.
 */
class SupermemoryV4ConformanceTest extends SimulatedConformance<SupermemoryV4Sim> {
    @Override
    protected SupermemoryV4Sim startSimulator() {
        return ((SupermemoryV4Sim) new SupermemoryV4Sim().start()).readsUntilDone(2);
    }

    @Override
    protected Memory client(SupermemoryV4Sim sim) {
        return Memory.builder().config("supermemory").setting("api_version", "v4").setting("base_url", sim.url())
                .setting("api_key", SupermemorySim.API_KEY).build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofSeconds(10);
    }
}
