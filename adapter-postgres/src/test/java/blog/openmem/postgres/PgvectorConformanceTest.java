package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.Test;

/** The whole TCK on PostgreSQL 15 + pgvector (HNSW mode), with the hash embedder. */
class PgvectorConformanceTest extends MemoryProviderContract {
    @Override
    protected blog.openmem.core.Memory createMemory() {
        return blog.openmem.core.Memory.builder().config(PgTestSupport.url()).embedder("hash").build();
    }

    @Test
    void runsInHnswMode() {
        assertEquals("hnsw", capabilities().features().extra().get("vector_index"),
                "this test needs pgvector: run scripts/setup-postgres.sh");
    }
}
