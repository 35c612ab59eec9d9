package blog.openmem.supermemory;

import blog.openmem.core.Memory;
import blog.openmem.tck.MemoryProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The TCK against the real Supermemory API (v5, or the version in {@code OMP_SUPERMEMORY_API_VERSION}),
 * for whoever has an account: runs only when {@code SUPERMEMORY_API_KEY} is set (it writes and
 * deletes documents in fresh {@code tck-*} namespaces).
 */
@EnabledIfEnvironmentVariable(named = "SUPERMEMORY_API_KEY", matches = ".+")
class SupermemoryLiveConformanceTest extends MemoryProviderContract {
    @Override
    protected Memory createMemory() {
        return Memory.builder().config("supermemory").build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofMinutes(3);
    }
}
