package blog.openmem.server;

import static blog.openmem.server.MigrationSupport.assertSameFields;
import static blog.openmem.server.MigrationSupport.byOrigin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.core.migrate.Migration;
import blog.openmem.core.migrate.MigrationReport;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving memories between PostgreSQL stores on the real database: pgvector → an embedded PostgreSQL in
 * exact mode with every field and supersession chains; export → import; a migration killed with
 * SIGKILL and started again; second runs that write nothing.
 */
class MigrationTest {
    private static String sourceUrl;
    private static Memory source;
    private static List<blog.openmem.spi.model.Memory> seeded;

    @BeforeAll
    static void seedSource() {
        sourceUrl = MigrationSupport.freshDatabase("omp_migrate_src");
        source = MigrationSupport.postgres(sourceUrl);
        seeded = MigrationSupport.seed(source, "m", 3, 40);
    }

    @AfterAll
    static void closeSource() {
        source.close();
    }

    @Test
    void pgvectorToEmbeddedExactKeepsEveryFieldAndSupersession(@TempDir Path dir) {
        assertEquals("hnsw", source.capabilities().features().extra().get("vector_index"));
        try (Memory target = Memory.builder().config("postgres").setting("data_dir", dir.resolve("pg").toString())
                .embedder("hash").build()) {
            assertEquals("exact", target.capabilities().features().extra().get("vector_index"));
            // Every user, as the source lists them; small batches so that a level spans several.
            MigrationReport r = Migration.from(source).to(target).batchSize(7).verify(Migration.Verify.ALL).run();
            assertTrue(r.ok(), r.describe());
            assertEquals(seeded.size(), r.written());
            assertEquals(seeded.size(), r.verified());
            assertEquals(Set.of("updated_at"), r.losses().keySet(), r.describe());
            assertEquals(1, r.losses().get("updated_at").memories());
            List<String> users = MigrationSupport.users(seeded);
            Map<String, blog.openmem.spi.model.Memory> moved = byOrigin(target, users);
            assertSameFields(seeded, moved, "postgres", true);

            // The superseded memories stay hidden from search on the target, as on the source.
            String alice = users.get(0);
            List<String> found = target.search(SearchQuery.builder(alice, "Alice lives in").limit(10).build())
                    .stream().map(h -> h.memory().content()).toList();
            assertTrue(found.contains("Alice lives in Rome"), found.toString());
            assertFalse(found.contains("Alice lives in Paris") || found.contains("Alice lives in Berlin"),
                    found.toString());
            List<SearchResult> all = target.search(SearchQuery.builder(alice, "Alice lives in").limit(10)
                    .includeSuperseded(true).build());
            assertTrue(all.stream().anyMatch(h -> h.memory().content().equals("Alice lives in Paris")));

            MigrationReport again = Migration.from(source).to(target).run();
            assertTrue(again.ok(), again.describe());
            assertEquals(0, again.written(), "a second run writes nothing");
            assertEquals(seeded.size(), again.skipped());
            assertEquals(seeded.size(), byOrigin(target, users).size());
        }
    }

    @Test
    void exportThenImportRoundTripsEveryField() throws Exception {
        StringWriter out = new StringWriter();
        MigrationReport exported = Migration.from(source).exportTo(out);
        assertEquals(seeded.size(), exported.written());
        String jsonl = out.toString();
        assertEquals(seeded.size(), jsonl.lines().count(), "one memory per line");
        try (Memory target = MigrationSupport.postgres(MigrationSupport.freshDatabase("omp_migrate_import"))) {
            MigrationReport r = Migration.fromExport(new StringReader(jsonl), "backup").to(target).run();
            assertTrue(r.ok(), r.describe());
            assertEquals(seeded.size(), r.written());
            assertSameFields(seeded, byOrigin(target, MigrationSupport.users(seeded)), "backup", true);
            MigrationReport again = Migration.fromExport(new StringReader(jsonl), "backup").to(target).run();
            assertEquals(0, again.written(), "importing the same file twice writes nothing the second time");
            assertEquals(seeded.size(), again.skipped());
        }
    }

    @Test
    void aMalformedLineIsNamedAndNothingIsWritten() {
        String good = "{\"id\":\"a1\",\"content\":\"kept?\",\"user_id\":\"u1\",\"created_at\":\"2026-01-01T00:00:00Z\"}";
        String[] bad = {"{\"id\":\"a2\",\"content\":\"x\",\"user_id\":\"u1\"", // cut short
            "{\"id\":\"a2\",\"content\":\"x\",\"user_id\":\"u1\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"confidence\":7}",
            "{\"id\":\"a2\",\"content\":\"x\",\"user_id\":\"u1\"}"};
        try (Memory target = MigrationSupport.postgres(MigrationSupport.freshDatabase("omp_migrate_bad"))) {
            for (String line : bad) {
                InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Migration.fromExport(
                        new StringReader(good + "\n\n" + line + "\n" + good), "x").to(target).run());
                assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
            }
            assertEquals(0, target.users().count(), "nothing was written");
        }
    }

    @Test
    void aMigrationKilledHalfWayResumesWithoutDuplicatesOrGaps(@TempDir Path dir) throws Exception {
        String from = MigrationSupport.freshDatabase("omp_migrate_kill_src");
        String to = MigrationSupport.freshDatabase("omp_migrate_kill_dst");
        int total;
        try (Memory src = MigrationSupport.postgres(from)) {
            total = MigrationSupport.seed(src, "k", 12, 250).size();
        }
        Path checkpoint = dir.resolve("ckpt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OmpServer.class.getName(), "migrate", "--from", from, "--to", to,
                "--from-setting", "embedder=hash", "--to-setting", "embedder=hash", "--checkpoint",
                checkpoint.toString(), "--concurrency", "1", "--batch-size", "25")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        long written = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (written < 600 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            written = count(to, "SELECT count(*) FROM omp_memories");
        }
        p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no last write
        long atKill = count(to, "SELECT count(*) FROM omp_memories");
        assertTrue(atKill >= 600 && atKill < total, "killed half way: " + atKill + " of " + total + "\n"
                + Files.readString(dir.resolve("log")));
        try (Memory src = MigrationSupport.postgres(from); Memory dst = MigrationSupport.postgres(to)) {
            MigrationReport r = Migration.from(src).to(dst).checkpoint(checkpoint).run();
            assertTrue(r.ok(), r.describe());
            assertTrue(r.usersResumed() >= 1, "finished users are skipped without reading: " + r.describe());
            assertEquals(total, count(to, "SELECT count(*) FROM omp_memories"), "no gaps");
            assertEquals(total, count(to, "SELECT count(DISTINCT extensions->'x-omp-origin'->>'id') FROM omp_memories"),
                    "no duplicates");
            MigrationReport again = Migration.from(src).to(dst).run();
            assertEquals(0, again.written(), again.describe());
            assertEquals(total, again.skipped());
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = MigrationSupport.connect(url); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery(sql);
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the table does not exist yet
        }
    }

    static Set<String> ids(List<blog.openmem.spi.model.Memory> ms) {
        return ms.stream().map(blog.openmem.spi.model.Memory::id).collect(Collectors.toSet());
    }
}
