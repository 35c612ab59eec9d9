package blog.openmem.supermemory;

import blog.openmem.core.Memory;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.tck.MemoryProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole TCK on the v5 simulator with the default {@code superrag} task type: every add answers
 * {@code queued} and the suite waits for {@code done} as a user would (each document is processed
 * after two reads). The class fails if any request or answer broke the OpenAPI file.
 */
class SupermemoryConformanceTest extends MemoryProviderContract {
    private SupermemoryV5Sim sim;

    @Override
    protected Memory createMemory() {
        sim = ((SupermemoryV5Sim) new SupermemoryV5Sim().start()).readsUntilDone(2);
        return Memory.builder().config("supermemory").setting("base_url", sim.url())
                .setting("api_key", SupermemoryV5Sim.API_KEY).build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofSeconds(10);
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
