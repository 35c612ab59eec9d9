package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.core.embed.HashEmbedder;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.model.MemoryInput;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adds and deletes are one autocommit statement each on sessions whose default is
 * {@code synchronous_commit=off} (for reads' audit rows); each must still flush its commit to
 * the WAL before answering. Counted with PostgreSQL's own WAL sync statistics.
 */
class DurableWriteTest {
    private static final int WRITES = 20;

    @Test
    void everyAddAndDeleteFlushesItsCommit() throws Exception {
        String url = ReembedTest.freshDatabase("omp_test_durable");
        long before = walSyncs(url);
        try (Memory m = Memory.of(new PostgresProviderFactory().create(new ProviderConfig("postgres", url, Map.of(),
                Map.of(), () -> new HashEmbedder(64))))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < WRITES / 2; i++) {
                ids.add(m.add(MemoryInput.builder("durable-user", "note " + i).build()).id());
            }
            for (String id : ids) {
                m.delete(id, "durable-user");
            }
        }
        // Closing the pool ends its sessions, which report their WAL statistics as they exit.
        long syncs = 0;
        for (long deadline = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < deadline; ) {
            syncs = walSyncs(url) - before;
            if (syncs >= WRITES) {
                break;
            }
            Thread.sleep(100);
        }
        // Asynchronous commits leave the flushing to the WAL writer: a sync or two for all of them.
        assertTrue(syncs >= WRITES, WRITES + " durable writes, " + syncs + " WAL syncs");
    }

    private static long walSyncs(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresSettings.parse(url).jdbc(), "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT wal_sync FROM pg_stat_wal")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
