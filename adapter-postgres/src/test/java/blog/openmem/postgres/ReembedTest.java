package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Changing the embedder of an existing store (CONTRACT §5) on real PostgreSQL, in both vector
 * modes, each on a database of its own (re-embedding rewrites a whole store): search refuses the
 * mixed store, an interrupted re-embed keeps what it committed and resumes, and afterwards
 * everything is searchable with the new model.
 */
class ReembedTest {
    static final String OLD = "omp-hash-v1-64";
    static final String NEW = "omp-hash-v1-384";

    static String freshDatabase(String name) throws Exception {
        String admin = PostgresSettings.parse(PgTestSupport.url()).jdbc();
        try (Connection c = DriverManager.getConnection(admin, "postgres", null); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        }
        String base = PgTestSupport.url();
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    static Map<String, Long> modelCounts(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresSettings.parse(url).jdbc(), "postgres", null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT embedding_model, count(*) FROM omp_memories GROUP BY 1")) {
            Map<String, Long> out = new java.util.TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw", "exact"})
    void reembedsAllMemoriesResumablyAndSearchRefusesMixedModelsMeanwhile(String mode) throws Exception {
        String url = freshDatabase("omp_test_reembed_" + mode);
        List<MemoryInput> rows = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            rows.add(MemoryInput.of(i % 2 == 0 ? "alice" : "bob", "everyday note number " + i + " about errands"));
        }
        rows.add(MemoryInput.of("alice", "quantum entanglement lecture on Thursday"));
        try (Memory old = Memory.builder().config(url).setting("vector_mode", mode).embedder("hash")
                .embedderSetting("dimension", "64").build()) {
            old.addAll(rows);
        }
        try (Memory now = Memory.builder().config(url).setting("vector_mode", mode).embedder("hash").build()) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> now.search("alice", "quantum entanglement"));
            assertTrue(refused.getMessage().contains(OLD) && refused.getMessage().contains(NEW), refused.getMessage());

            // Interrupted after the first batch: that batch stays done, search still refuses.
            List<Long> seen = new ArrayList<>();
            assertThrows(OmpException.class, () -> now.reembed(100, n -> {
                seen.add(n);
                throw new IllegalStateException("interrupted");
            }));
            assertEquals(List.of(100L), seen);
            assertEquals(Map.of(OLD, 141L, NEW, 100L), modelCounts(url));
            assertThrows(InvalidRequestException.class, () -> now.search("alice", "quantum entanglement"));

            // Resumed: only the rest is done, in batches.
            List<Long> progress = new ArrayList<>();
            assertEquals(141, now.reembed(100, progress::add));
            assertEquals(List.of(100L, 141L), progress);
            assertEquals(Map.of(NEW, 241L), modelCounts(url));
            assertEquals(0, now.reembed(100, null), "nothing left");

            List<SearchResult> found = now.search("alice", "quantum entanglement");
            assertEquals("quantum entanglement lecture on Thursday", found.get(0).memory().content());
            assertEquals(NEW, now.get(found.get(0).memory().id()).embeddingModel());
            assertTrue(found.stream().allMatch(r -> r.memory().userId().equals("alice")));
        }
    }
}
