package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.Test;

/** The whole TCK on the embedded PostgreSQL, which has no pgvector (exact mode). */
class EmbeddedConformanceTest extends MemoryProviderContract {
    @Override
    protected blog.openmem.core.Memory createMemory() {
        return blog.openmem.core.Memory.builder().config("postgres").embedder("hash")
                .setting("data_dir", PgTestSupport.embeddedDir("tck").toString()).build();
    }

    @Test
    void runsInExactMode() {
        assertEquals("exact", capabilities().features().extra().get("vector_index"));
    }
}
