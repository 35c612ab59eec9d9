package blog.openmem.supermemory;

import blog.openmem.core.Memory;
import blog.openmem.sim.SimulatedConformance;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV5Sim;
import java.time.Duration;

/**
 * The whole TCK on the v5 simulator with the default {@code superrag} task type: every add answers
 * {@code queued} and the suite waits for {@code done} as a user would (each document is processed
 * after two reads). The class fails if any request or answer broke the OpenAPI file.
 */
class SupermemoryConformanceTest extends SimulatedConformance<SupermemoryV5Sim> {
    @Override
    protected SupermemoryV5Sim startSimulator() {
        return ((SupermemoryV5Sim) new SupermemoryV5Sim().start()).readsUntilDone(2);
    }

    @Override
    protected Memory client(SupermemoryV5Sim sim) {
        return Memory.builder().config("supermemory").setting("base_url", sim.url())
                .setting("api_key", SupermemorySim.API_KEY).build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofSeconds(10);
    }
}
