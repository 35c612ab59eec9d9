package blog.openmem.tck;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The OMP conformance suite. An adapter's test extends this class and returns a client for its
 * provider from {@link #createMemory()}:
 *
 * <pre>{@code
 * class PostgresConformanceTest extends MemoryProviderContract {
 *     protected Memory createMemory() { return Memory.create(System.getenv("OMP_TEST_POSTGRES_URL")); }
 * }
 * }</pre>
 *
 * <p>Each test uses fresh user ids, so the suite can run against a shared, persistent backend.
 * Tests of capabilities the provider does not declare are skipped and reported as such; a
 * declared capability the suite cannot demonstrate fails it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MemoryProviderContract implements CapabilitiesContract, LifecycleContract, ListContract,
        ScopeContract, SearchContract, TemporalContract, ContextContract, AuditContract, MigrationContract {

    private blog.openmem.core.Memory memory;

    /** @return a new client for the provider under test; the suite closes it */
    protected abstract blog.openmem.core.Memory createMemory();

    @BeforeAll
    final void openClient() {
        memory = createMemory();
    }

    @AfterAll
    final void closeClient() {
        if (memory != null) {
            memory.close();
        }
    }

    @Override
    public final blog.openmem.core.Memory memory() {
        return memory;
    }
}
