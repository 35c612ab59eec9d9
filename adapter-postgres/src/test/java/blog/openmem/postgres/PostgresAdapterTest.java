package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Postgres-specific behaviour beyond the TCK, on PostgreSQL 15 + pgvector. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresAdapterTest {
    Memory memory;

    @BeforeAll
    void open() {
        memory = Memory.builder().config(PgTestSupport.url()).embedder("hash").build();
    }

    @AfterAll
    void close() {
        memory.close();
    }

    static String user() {
        return "u-" + UUID.randomUUID();
    }

    @Test
    void idsAreMemUlidsAndStatusDone() {
        var m = memory.add(user(), "x");
        assertTrue(m.id().matches("mem_[0-9A-HJKMNP-TV-Z]{26}"), m.id());
        assertEquals("omp-hash-v1-384", m.embeddingModel());
        assertEquals(blog.openmem.spi.model.MemoryStatus.DONE, m.status());
    }

    @Test
    void cursorsAreTamperSafeAndBoundToTheirQuery() {
        String u = user();
        for (int i = 0; i < 5; i++) {
            memory.add(MemoryInput.builder(u, "c" + i).scope("a/b").build());
        }
        MemoryPage p = memory.list(ListQuery.builder(u).limit(2).build());
        String cursor = p.nextCursor();
        assertEquals(2, memory.list(ListQuery.builder(u).limit(2).cursor(cursor).build()).items().size());
        byte[] raw = Base64.getUrlDecoder().decode(cursor);
        raw[3] ^= 1;
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> memory.list(ListQuery.builder(u).limit(2).cursor(forged).build()));
        assertTrue(e.getMessage().startsWith("cursor:"));
        InvalidRequestException other = assertThrows(InvalidRequestException.class,
                () -> memory.list(ListQuery.builder(u).scope("a").limit(2).cursor(cursor).build()));
        assertTrue(other.getMessage().contains("another query"), other.getMessage());
        assertThrows(InvalidRequestException.class,
                () -> memory.list(ListQuery.builder(user()).limit(2).cursor(cursor).build()), "another user's cursor");
    }

    @Test
    void batchAddStoresEveryRowInOrder() {
        String u = user();
        List<MemoryInput> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(MemoryInput.builder(u, "imported fact " + i).tags("import").extension("x-row", i).build());
        }
        List<blog.openmem.spi.model.Memory> out = memory.addAll(batch);
        assertEquals(500, out.size());
        for (int i = 0; i < 500; i++) {
            assertEquals("imported fact " + i, out.get(i).content());
        }
        assertEquals(500, memory.stream(ListQuery.builder(u).limit(500).build()).count());
        assertEquals(499, ((Number) memory.get(out.get(499).id()).extensions().get("x-row")).intValue());
        assertEquals(500, memory.audit(new blog.openmem.spi.model.AuditQuery(u, null, null, 1000)).stream()
                .filter(a -> a.action() == blog.openmem.spi.model.Verb.ADD).count(),
                "one audit entry per added row, written with them");
    }

    @Test
    void keywordSearchFindsExactCodesEvenWhenEmbeddingsMiss() {
        try (Memory noisy = Memory.builder().config(PgTestSupport.url()).embedder("noise-test").build()) {
            String u = user();
            for (int i = 0; i < 30; i++) {
                noisy.add(u, "ordinary note number " + i + " about errands");
            }
            noisy.add(u, "Booking reference ZK93PL for the Lisbon flight");
            List<SearchResult> r = noisy.search(u, "ZK93PL");
            assertEquals("Booking reference ZK93PL for the Lisbon flight", r.get(0).memory().content());
            assertTrue(r.get(0).score() > r.get(r.size() - 1).score());
        }
    }

    @Test
    void neverComparesVectorsOfDifferentModels() throws Exception {
        String u = user();
        try (Memory small = Memory.builder().config(PgTestSupport.url()).embedder("hash")
                .embedderSetting("dimension", "64").build()) {
            small.add(u, "embedded with the 64-dimension model");
        }
        try (Memory big = Memory.builder().config(PgTestSupport.url()).embedder("hash").build()) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> big.search(u, "model"));
            assertTrue(e.getMessage().contains("omp-hash-v1-64") && e.getMessage().contains("omp-hash-v1-384"),
                    e.getMessage());
            assertFalse(big.search(user(), "model").size() > 0, "other users are unaffected");
        } finally {
            try (Connection c = DriverManager.getConnection(PostgresSettings.parse(PgTestSupport.url()).jdbc(),
                    "postgres", null); Statement st = c.createStatement()) {
                st.execute("DELETE FROM omp_memories WHERE user_id = '" + u + "'");
            }
        }
    }

    @Test
    void annPathAgreesWithExactSearchForOneUserAmongMany() {
        String heavy = user();
        List<MemoryInput> rows = new ArrayList<>();
        String[] topics = {"tea", "coffee", "hiking", "java", "kotlin", "paris", "berlin", "dog", "cat", "piano"};
        for (int i = 0; i < 400; i++) {
            rows.add(MemoryInput.of(heavy, "note " + i + " about " + topics[i % 10] + " and " + topics[(i * 7) % 10]
                    + " detail" + (i % 37)));
            rows.add(MemoryInput.of(user(), "noise " + i + " about " + topics[i % 10]));
        }
        memory.addAll(rows);
        blog.openmem.spi.MemoryProvider annProvider = new PostgresProviderFactory().create(
                new blog.openmem.spi.ProviderConfig("postgres", PgTestSupport.url(), java.util.Map.of(
                        "ann_threshold", "100", "large_user_check_rate", "1"), java.util.Map.of(), () -> new blog.openmem.core.embed.HashEmbedder(384)));
        try (Memory ann = Memory.of(annProvider);
             Memory exact = Memory.builder().config(PgTestSupport.url()).embedder("hash")
                .setting("ann", "false").build()) {
            ann.search(heavy, "warm up: detects the heavy user and promotes its rows");
            PostgresDiagnostics.awaitBackgroundWork(annProvider);
            String sql = PostgresDiagnostics.searchStatement(annProvider, SearchQuery.builder(heavy, "tea").build(),
                    blog.openmem.spi.CallContext.of("r")).orElseThrow().sql();
            assertTrue(sql.contains("AND m.ann ORDER BY (m.embedding::vector(384))"), "the HNSW path is used");
            double overlap = 0;
            String[] queries = {"tea and hiking", "java kotlin detail3", "paris dog", "piano cat detail12", "coffee"};
            for (String q : queries) {
                Set<String> a = ids(ann.search(SearchQuery.builder(heavy, q).limit(10).build()));
                Set<String> e = ids(exact.search(SearchQuery.builder(heavy, q).limit(10).build()));
                assertEquals(10, e.size());
                Set<String> both = new HashSet<>(a);
                both.retainAll(e);
                overlap += both.size() / 10.0;
                ann.search(SearchQuery.builder(heavy, q).build()).forEach(r -> assertEquals(heavy, r.memory().userId()));
            }
            assertTrue(overlap / queries.length >= 0.9, "ANN recall@10 vs exact: " + overlap / queries.length);
            var late = ann.add(heavy, "added after promotion about tea");
            assertTrue(ann.search(SearchQuery.builder(heavy, "added after promotion").limit(3).build()).stream()
                    .anyMatch(r -> r.memory().id().equals(late.id())), "new rows of a heavy user are found");
        }
    }

    static Set<String> ids(List<SearchResult> r) {
        Set<String> s = new HashSet<>();
        r.forEach(x -> s.add(x.memory().id()));
        return s;
    }

    @Test
    void twoProcessesCreatingTheSchemaAtOnceBothSucceed() throws Exception {
        String db = "omp_schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = PostgresSettings.parse(PgTestSupport.url()).jdbc();
        try (Connection c = DriverManager.getConnection(admin, "postgres", null); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        String url = "postgres://postgres@127.0.0.1:5432/" + db;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> starts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                starts.add(pool.submit(() -> {
                    try (Memory m = Memory.builder().config(url).embedder("hash").build()) {
                        return m.add(user(), "hello").id();
                    }
                }));
            }
            for (Future<String> f : starts) {
                assertTrue(f.get(60, TimeUnit.SECONDS).startsWith("mem_"));
            }
            try (Connection c = DriverManager.getConnection(admin.replace("/omp_test", "/" + db), "postgres", null);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT value FROM omp_meta WHERE key = 'schema_version'")) {
                rs.next();
                assertEquals(String.valueOf(Schema.CURRENT_VERSION), rs.getString(1));
            }
        } finally {
            pool.shutdownNow();
            try (Connection c = DriverManager.getConnection(admin, "postgres", null);
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    @Test
    void embeddedDataSurvivesARestart() {
        String dir = PgTestSupport.embeddedDir("persist").toString();
        String u = user();
        String id;
        try (Memory first = Memory.builder().config("postgres").embedder("hash").setting("data_dir", dir).build()) {
            id = first.add(u, "kept across restarts").id();
        }
        try (Memory second = Memory.builder().config("postgres").embedder("hash").setting("data_dir", dir).build()) {
            assertEquals("kept across restarts", second.get(id).content());
            assertEquals("exact", second.capabilities().features().extra().get("vector_index"));
        }
    }

    @Test
    void badSettingsFailAtStartWithoutLeakingThePassword() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Memory.builder()
                .config("mysql://root:hunter2@db/x").build());
        assertFalse(e.getMessage().contains("hunter2"));
        ConfigurationException mode = assertThrows(ConfigurationException.class, () -> Memory.builder()
                .config(PgTestSupport.url()).embedder("hash").setting("vector_mode", "fast").build());
        assertTrue(mode.getMessage().contains("vector_mode"));
        for (String[] bad : new String[][] {{"date_weight", "2"}, {"date_weight", "x"}, {"exact_cache_mb", "-1"},
                {"search_cache_mb", "-1"}, {"search_cache_mb", "lots"}}) {
            ConfigurationException ce = assertThrows(ConfigurationException.class, () -> Memory.builder()
                    .config(PgTestSupport.url()).embedder("hash").setting(bad[0], bad[1]).build());
            assertTrue(ce.getMessage().contains(bad[0]), ce.getMessage());
        }
        var down = assertThrows(blog.openmem.spi.error.ProviderUnavailableException.class, () -> Memory.builder()
                .config("postgres://omp:hunter2@127.0.0.1:1/nope").embedder("hash").build());
        assertFalse(down.getMessage().contains("hunter2"), down.getMessage());
        assertTrue(PostgresSettings.from(blog.openmem.spi.ProviderConfig.of("postgres", java.util.Map.of(
                "url", "postgres://omp:hunter2@h/db"))).toString().contains("***"));
    }
}
