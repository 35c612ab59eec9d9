package blog.openmem.letta;

import blog.openmem.core.Memory;
import blog.openmem.tck.MemoryProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The TCK against Letta Cloud (or the server in {@code OMP_LETTA_BASE_URL}), for whoever has a key:
 * runs only when {@code LETTA_API_KEY} is set (it creates archives named {@code omp-user:tck-*}).
 */
@EnabledIfEnvironmentVariable(named = "LETTA_API_KEY", matches = ".+")
class LettaLiveConformanceTest extends MemoryProviderContract {
    @Override
    protected Memory createMemory() {
        return Memory.builder().config("letta").build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofMinutes(1);
    }
}
