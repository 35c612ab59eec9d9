package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.tck.MemoryProviderContract;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The TCK against the real Mem0 platform, for whoever has an account: runs only when
 * {@code MEM0_API_KEY} is set (it writes and deletes memories of fresh {@code tck-*} users).
 */
@EnabledIfEnvironmentVariable(named = "MEM0_API_KEY", matches = ".+")
class Mem0LiveConformanceTest extends MemoryProviderContract {
    @Override
    protected Memory createMemory() {
        return Memory.builder().config("mem0").build();
    }

    @Override
    public Duration ingestionTimeout() {
        return Duration.ofMinutes(2);
    }
}
