package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.core.embed.HashEmbedder;
import blog.openmem.postgres.PostgresDiagnostics;
import blog.openmem.postgres.PostgresProviderFactory;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adapter-postgres benchmark: 1 000 000 memories over 10 000 users plus one user with
 * 100 000, hash embedder (384 dimensions, so storage is measured, not a model). Measures search
 * latency for a typical and the heavy user, recall@10 of the HNSW path against exact search,
 * single and batched add throughput, the adapter's time over raw JDBC running the same SQL, and
 * LangChain4j's PgVectorEmbeddingStore on the same database and data, in the same run.
 *
 * <p>Usage: {@code bash omp-bench/run-postgres-bench.sh [--users N] [--per-user N] [--heavy N]
 * [--queries N] [--skip-peer]}. Loading is skipped when the data is already there.
 */
public final class PostgresBench {
    static final int DIM = 384;
    static final String HEAVY = "heavy-user";

    int users = 10_000;
    int perUser = 100;
    int heavy = 100_000;
    int queries = 2_000;
    boolean peer = true;
    boolean heavyOnly;
    String adminJdbc = "jdbc:postgresql://127.0.0.1:5432/postgres";
    String db = "omp_bench";
    final HashEmbedder embedder = new HashEmbedder(DIM);
    final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        PostgresBench b = new PostgresBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--users" -> b.users = Integer.parseInt(args[++i]);
                case "--per-user" -> b.perUser = Integer.parseInt(args[++i]);
                case "--heavy" -> b.heavy = Integer.parseInt(args[++i]);
                case "--queries" -> b.queries = Integer.parseInt(args[++i]);
                case "--db" -> b.db = args[++i];
                case "--skip-peer" -> b.peer = false;
                case "--heavy-only" -> b.heavyOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        b.run();
    }

    String jdbc() {
        return adminJdbc.replace("/postgres", "/" + db);
    }

    MemoryProvider provider(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("pool_size", "8"));
        s.putAll(extra);
        return new PostgresProviderFactory().create(new ProviderConfig("postgres",
                "postgres://postgres@127.0.0.1:5432/" + db, s, Map.of(), () -> embedder));
    }

    void run() throws Exception {
        log("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty(
                "java.version") + ", " + sql1("SELECT version()"));
        ensureDatabase();
        MemoryProvider provider = provider(Map.of());
        Memory memory = Memory.of(provider);
        long expected = (long) users * perUser + heavy;
        long have = count("SELECT count(*) FROM omp_memories WHERE user_id LIKE 'user-%' OR user_id = '" + HEAVY + "'");
        if (have < expected) {
            loadOmp(memory, provider, have);
        } else {
            log("omp data present: " + have + " rows");
        }
        promoteHeavy();
        // A fresh provider: nothing cached from the load.
        memory.close();
        provider = provider(Map.of());
        memory = Memory.of(provider);
        memory.search(HEAVY, "warm up");
        PostgresDiagnostics.awaitBackgroundWork(provider);
        if (peer) {
            loadPeer();
        }
        sql("VACUUM ANALYZE omp_memories");
        log("table size: " + sql1("SELECT pg_size_pretty(pg_total_relation_size('omp_memories'))"));

        Random rnd = new Random(7);
        if (heavyOnly) {
            peer = false;
        }
        // --- typical users: adapter vs raw JDBC of the same statement, interleaved. The adapter ranks a
        // typical user's searches from cached rows by default; without the cache it runs the statement.
        MemoryProvider sqlProvider = provider(Map.of("search_cache_mb", "0"));
        Memory sqlMemory = Memory.of(sqlProvider);
        Stats adapter = new Stats();
        Stats raw = new Stats();
        try (Connection rawConn = DriverManager.getConnection(jdbc(), "postgres", null)) {
            try (Statement st = rawConn.createStatement()) {
                st.execute("SET synchronous_commit = off");
                st.execute("SET plan_cache_mode = force_generic_plan"); // as the adapter's pgvector sessions
            }
            for (int i = 0; i < (heavyOnly ? 0 : queries + 300); i++) {
                String u = "user-" + rnd.nextInt(users);
                SearchQuery q = SearchQuery.builder(u, Corpus.query(rnd)).build();
                var stmt = PostgresDiagnostics.searchStatement(sqlProvider, q, new CallContext("req_bench", "bench",
                        Verb.SEARCH)).orElseThrow();
                // The order alternates: the second to run finds the user's pages just read by the first.
                boolean adapterFirst = i % 2 == 0;
                long t0 = System.nanoTime();
                int rows = adapterFirst ? 0 : runRaw(rawConn, stmt);
                long t1 = System.nanoTime();
                List<SearchResult> r = sqlMemory.search(q);
                long t2 = System.nanoTime();
                if (adapterFirst) {
                    rows = runRaw(rawConn, stmt);
                }
                long t3 = System.nanoTime();
                if (i >= 300) {
                    adapter.add(t2 - t1);
                    raw.add(adapterFirst ? t3 - t2 : t1 - t0);
                }
                if (r.size() > rows) {
                    throw new IllegalStateException("adapter returned more rows than its SQL");
                }
            }
        }
        sqlMemory.close();
        // The default configuration: 100 typical users searched again and again, ranked in the adapter
        // from cached rows (their first searches, which read the rows, fall in the warm-up).
        Stats cached = new Stats();
        for (int i = 0; i < (heavyOnly ? 0 : queries + 300); i++) {
            SearchQuery q = SearchQuery.builder("user-" + rnd.nextInt(100), Corpus.query(rnd)).build();
            long t0 = System.nanoTime();
            memory.search(q);
            if (i >= 300) {
                cached.add(System.nanoTime() - t0);
            }
        }
        if (!heavyOnly) {
            row("typical user (100 memories) search, adapter, search statement (search_cache_mb=0)", adapter.summary());
            row("same SQL through raw JDBC", raw.summary());
            row("adapter / raw JDBC at p50", String.format(Locale.ROOT, "%.3f (%+.1f%%)", adapter.p50() / raw.p50(),
                    100 * (adapter.p50() / raw.p50() - 1)));
            row("typical user search, default configuration (100 users searched repeatedly, ranked from cached rows)",
                    cached.summary());
        }

        // --- heavy user: HNSW path, and recall against exact search
        MemoryProvider exactProvider = provider(Map.of("ann", "false"));
        Memory exact = Memory.of(exactProvider);
        Stats heavyAnn = new Stats();
        Stats heavyExact = new Stats();
        double recall = 0;
        int recallQueries = 0;
        for (int i = 0; i < 400; i++) {
            SearchQuery q = SearchQuery.builder(HEAVY, Corpus.query(rnd)).build();
            long t0 = System.nanoTime();
            List<SearchResult> a = memory.search(q);
            long t1 = System.nanoTime();
            if (i >= 50) {
                heavyAnn.add(t1 - t0);
            }
            if (i % 4 == 0) {
                long t2 = System.nanoTime();
                List<SearchResult> e = exact.search(q);
                heavyExact.add(System.nanoTime() - t2);
                Set<String> ids = new HashSet<>();
                e.forEach(x -> ids.add(x.memory().id()));
                long hit = a.stream().filter(x -> ids.contains(x.memory().id())).count();
                if (!e.isEmpty()) {
                    recall += (double) hit / e.size();
                    recallQueries++;
                }
            }
        }
        row("heavy user (" + heavy + " memories) search, HNSW path", heavyAnn.summary());
        row("heavy user, exact path (reference)", heavyExact.summary());
        row("recall@10 of the HNSW path vs exact", String.format(Locale.ROOT, "%.3f over %d queries",
                recall / recallQueries, recallQueries));
        log("heavy-user plan: " + explainHeavy(provider, rnd));
        exact.close();

        if (heavyOnly) {
            memory.close();
            report.forEach(System.out::println);
            return;
        }
        // --- adds
        Stats single = new Stats();
        long s0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            long t = System.nanoTime();
            memory.add(MemoryInput.of("adder-" + (i % 100), Corpus.memory("adder", i)));
            single.add(System.nanoTime() - t);
        }
        double singleRate = 2000 / ((System.nanoTime() - s0) / 1e9);
        row("single add (one thread)", String.format(Locale.ROOT, "%.0f memories/s, %s", singleRate,
                single.summary()));
        long b0 = System.nanoTime();
        int batched = 0;
        for (int b = 0; b < 20; b++) {
            List<MemoryInput> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(MemoryInput.of("batcher-" + (i % 100), Corpus.memory("batcher", b * 1000 + i)));
            }
            batched += memory.addAll(batch).size();
        }
        row("batched add (1 000 per call, one thread, HNSW maintained)", String.format(Locale.ROOT,
                "%.0f memories/s", batched / ((System.nanoTime() - b0) / 1e9)));

        if (peer) {
            benchPeer(rnd);
        }
        memory.close();
        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        report.forEach(System.out::println);
    }

    // ------------------------------------------------------------------ loading

    void loadOmp(Memory memory, MemoryProvider providerOf, long have) throws Exception {
        List<String> hnsw = dropHnsw();
        log("loading " + ((long) users * perUser + heavy) + " memories (HNSW index dropped for the bulk load; "
                + have + " present)");
        sql("DELETE FROM omp_memories WHERE user_id LIKE 'user-%' OR user_id = '" + HEAVY + "'");
        sql("DELETE FROM omp_audit WHERE user_id LIKE 'user-%' OR user_id = '" + HEAVY + "'");
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> jobs = new ArrayList<>();
        int batchUsers = 10;
        for (int u0 = 0; u0 < users; u0 += batchUsers) {
            int from = u0;
            jobs.add(pool.submit(() -> {
                List<MemoryInput> batch = new ArrayList<>();
                for (int u = from; u < Math.min(users, from + batchUsers); u++) {
                    for (int i = 0; i < perUser; i++) {
                        batch.add(MemoryInput.of("user-" + u, Corpus.memory("user-" + u, i)));
                    }
                }
                memory.addAll(batch);
                progress(done.addAndGet(batch.size()), t0);
                return null;
            }));
        }
        for (int h = 0; h < heavy; h += 1000) {
            int from = h;
            jobs.add(pool.submit(() -> {
                List<MemoryInput> batch = new ArrayList<>();
                for (int i = from; i < Math.min(heavy, from + 1000); i++) {
                    batch.add(MemoryInput.of(HEAVY, Corpus.memory(HEAVY, i)));
                }
                memory.addAll(batch);
                progress(done.addAndGet(batch.size()), t0);
                return null;
            }));
        }
        for (Future<?> f : jobs) {
            f.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        row("bulk load, batched add without the HNSW index (2 threads)", String.format(Locale.ROOT,
                "%d memories in %.0f s = %.0f memories/s", done.get(), secs, done.get() / secs));
        long i0 = System.nanoTime();
        rebuild(hnsw);
        log(String.format(Locale.ROOT, "index recreated in %.0f s", (System.nanoTime() - i0) / 1e9));
    }

    /**
     * Flags the heavy user's rows for the HNSW graph the way the provider's background promotion
     * does, but with the index dropped and rebuilt, which is how a bulk import should do it.
     */
    void promoteHeavy() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS omp_large_users (user_id text NOT NULL, embedding_model text NOT NULL,"
                + " promoted_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (user_id, embedding_model))");
        sql("INSERT INTO omp_large_users (user_id, embedding_model) VALUES ('" + HEAVY + "', '"
                + embedder.modelName() + "') ON CONFLICT DO NOTHING");
        if (count("SELECT count(*) FROM omp_memories WHERE user_id = '" + HEAVY + "' AND NOT ann") == 0) {
            log("heavy user already in the HNSW graph");
            return;
        }
        List<String> hnsw = dropHnsw();
        sql("UPDATE omp_memories SET ann = true WHERE user_id = '" + HEAVY + "' AND NOT ann");
        sql("INSERT INTO omp_large_users (user_id, embedding_model) VALUES ('" + HEAVY + "', '"
                + embedder.modelName() + "') ON CONFLICT DO NOTHING");
        long i0 = System.nanoTime();
        rebuild(hnsw);
        row("HNSW index build over the heavy user's " + heavy + " rows (the schema's m=24, ef_construction=128)",
                String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - i0) / 1e9));
    }

    /** Drops the HNSW indexes (bulk work is faster without them) and returns their definitions. */
    List<String> dropHnsw() throws Exception {
        List<String> defs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'omp_memories'"
                     + " AND indexdef LIKE '%hnsw%'")) {
            while (rs.next()) {
                defs.add(rs.getString(2));
                try (Statement d = c.createStatement()) {
                    d.execute("DROP INDEX " + rs.getString(1));
                }
            }
        }
        return defs;
    }

    void rebuild(List<String> defs) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", null); Statement st = c.createStatement()) {
            st.execute("SET maintenance_work_mem = '4GB'");
            st.execute("SET max_parallel_maintenance_workers = 1");
            for (String def : defs) {
                st.execute(def);
            }
        }
    }

    static void progress(long n, long t0) {
        if (n % 100_000 < 1000) {
            log(String.format(Locale.ROOT, "  %d loaded, %.0f/s", n, n / ((System.nanoTime() - t0) / 1e9)));
        }
    }

    // ------------------------------------------------------------------ peer: LangChain4j

    PgVectorEmbeddingStore lc4j(HikariDataSource ds) {
        return PgVectorEmbeddingStore.datasourceBuilder().datasource(ds).table("lc4j_bench").dimension(DIM)
                .createTable(true).useIndex(false).build();
    }

    HikariDataSource peerDs() {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbc());
        hc.setUsername("postgres");
        hc.setMaximumPoolSize(4);
        return new HikariDataSource(hc);
    }

    void loadPeer() throws Exception {
        long expected = (long) users * perUser + heavy;
        boolean exists = "1".equals(sql1("SELECT count(*) FROM pg_tables WHERE tablename = 'lc4j_bench'"));
        if (exists && count("SELECT count(*) FROM lc4j_bench") >= expected) {
            log("peer data present");
            return;
        }
        try (HikariDataSource ds = peerDs()) {
            PgVectorEmbeddingStore store = lc4j(ds);
            store.removeAll();
            log("loading the same " + expected + " memories into LangChain4j's PgVectorEmbeddingStore");
            long t0 = System.nanoTime();
            AtomicLong done = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> jobs = new ArrayList<>();
            for (int u0 = 0; u0 <= users; u0 += 10) {
                int from = u0;
                jobs.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    List<Embedding> embs = new ArrayList<>();
                    List<TextSegment> segs = new ArrayList<>();
                    if (from == users) {
                        for (int i = 0; i < heavy; i++) {
                            add(ids, embs, segs, HEAVY, Corpus.memory(HEAVY, i));
                            if (ids.size() == 1000) {
                                store.addAll(ids, embs, segs);
                                progress(done.addAndGet(ids.size()), t0);
                                ids.clear();
                                embs.clear();
                                segs.clear();
                            }
                        }
                    } else {
                        for (int u = from; u < Math.min(users, from + 10); u++) {
                            for (int i = 0; i < perUser; i++) {
                                add(ids, embs, segs, "user-" + u, Corpus.memory("user-" + u, i));
                            }
                        }
                    }
                    if (!ids.isEmpty()) {
                        store.addAll(ids, embs, segs);
                        progress(done.addAndGet(ids.size()), t0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
            pool.shutdown();
            double secs = (System.nanoTime() - t0) / 1e9;
            row("peer bulk load, LangChain4j addAll (2 threads)", String.format(Locale.ROOT,
                    "%d in %.0f s = %.0f/s", done.get(), secs, done.get() / secs));
        }
        sql("VACUUM ANALYZE lc4j_bench");
    }

    void add(List<String> ids, List<Embedding> embs, List<TextSegment> segs, String user, String text) {
        ids.add(UUID.randomUUID().toString());
        embs.add(Embedding.from(embedder.embed(text)));
        segs.add(TextSegment.from(text, Metadata.from("user_id", user)));
    }

    void benchPeer(Random rnd) throws Exception {
        try (HikariDataSource ds = peerDs()) {
            PgVectorEmbeddingStore store = lc4j(ds);
            // As shipped means without the index a previous run of this benchmark added.
            sql("DROP INDEX IF EXISTS lc4j_bench_user");
            sql("ANALYZE lc4j_bench");
            Stats typical = searchPeer(store, rnd, 60, false);
            row("LangChain4j PgVectorEmbeddingStore, typical user, as shipped (no index on the user filter)",
                    typical.summary());
            Stats heavyPeer = searchPeer(store, rnd, 30, true);
            row("LangChain4j, heavy user, as shipped", heavyPeer.summary());
            sql("CREATE INDEX IF NOT EXISTS lc4j_bench_user ON lc4j_bench ((metadata->>'user_id'))");
            sql("ANALYZE lc4j_bench");
            Stats indexed = searchPeer(store, rnd, 2000, false);
            row("LangChain4j, typical user, with an index we added on metadata->>'user_id'", indexed.summary());
            Stats heavyIndexed = searchPeer(store, rnd, 100, true);
            row("LangChain4j, heavy user, with that index", heavyIndexed.summary());
            Stats single = new Stats();
            long s0 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                String text = Corpus.memory("peer-adder", i);
                long t = System.nanoTime();
                store.add(Embedding.from(embedder.embed(text)), TextSegment.from(text, Metadata.from("user_id",
                        "peer-adder-" + (i % 100))));
                single.add(System.nanoTime() - t);
            }
            row("LangChain4j single add (one thread)", String.format(Locale.ROOT, "%.0f/s, %s",
                    2000 / ((System.nanoTime() - s0) / 1e9), single.summary()));
            long b0 = System.nanoTime();
            for (int b = 0; b < 20; b++) {
                List<String> ids = new ArrayList<>();
                List<Embedding> embs = new ArrayList<>();
                List<TextSegment> segs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    add(ids, embs, segs, "peer-batcher-" + (i % 100), Corpus.memory("peer-batcher", b * 1000 + i));
                }
                store.addAll(ids, embs, segs);
            }
            row("LangChain4j batched add (1 000 per call, one thread)", String.format(Locale.ROOT, "%.0f/s",
                    20_000 / ((System.nanoTime() - b0) / 1e9)));
        }
    }

    Stats searchPeer(PgVectorEmbeddingStore store, Random rnd, int n, boolean heavyUser) {
        Stats s = new Stats();
        for (int i = 0; i < n + 5; i++) {
            String u = heavyUser ? HEAVY : "user-" + rnd.nextInt(users);
            float[] qv = embedder.embed(Corpus.query(rnd));
            long t = System.nanoTime();
            store.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(qv)).maxResults(10)
                    .filter(MetadataFilterBuilder.metadataKey("user_id").isEqualTo(u)).build());
            if (i >= 5) {
                s.add(System.nanoTime() - t);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ helpers

    /** Runs the adapter's statement with plain JDBC, reading every column of every row. */
    static int runRaw(Connection c, PostgresDiagnostics.Statement stmt) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(stmt.sql())) {
            bind(c, ps, stmt.params());
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    for (int col = 1; col <= md.getColumnCount(); col++) {
                        rs.getString(col);
                    }
                    rows++;
                }
            }
            return rows;
        }
    }

    /** Plain JDBC binding of the diagnostic statement's values. */
    static void bind(Connection c, PreparedStatement ps, List<Object> params) throws Exception {
        int i = 1;
        for (Object p : params) {
            if (p == null) {
                ps.setNull(i, java.sql.Types.VARCHAR);
            } else if (p instanceof String s) {
                ps.setString(i, s);
            } else if (p instanceof Integer n) {
                ps.setInt(i, n);
            } else if (p instanceof Double d) {
                ps.setDouble(i, d);
            } else if (p instanceof Instant t) {
                ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else if (p instanceof PostgresDiagnostics.Untyped u) {
                ps.setObject(i, u.value(), java.sql.Types.OTHER);
            } else if (p instanceof String[] a) {
                ps.setArray(i, c.createArrayOf("text", a));
            } else {
                throw new IllegalArgumentException(p.getClass().toString());
            }
            i++;
        }
    }

    String explainHeavy(MemoryProvider provider, Random rnd) throws Exception {
        var stmt = PostgresDiagnostics.searchStatement(provider, SearchQuery.builder(HEAVY, Corpus.query(rnd)).build(),
                new CallContext("req_explain", null, Verb.SEARCH)).orElseThrow();
        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", null)) {
            try (Statement st = c.createStatement()) {
                st.execute("SET hnsw.iterative_scan = relaxed_order");
            }
            var explain = new PostgresDiagnostics.Statement("EXPLAIN " + stmt.sql(), stmt.params());
            try (PreparedStatement ps = c.prepareStatement(explain.sql())) {
                bind(c, ps, explain.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String line = rs.getString(1);
                        if (line.contains("Index Scan") || line.contains("Seq Scan") || line.contains("Bitmap")) {
                            plan.append(line.trim()).append(" | ");
                        }
                    }
                }
            }
        }
        return plan.toString();
    }

    void ensureDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(adminJdbc, "postgres", null); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE " + db);
                }
            }
        }
    }

    long count(String q) throws Exception {
        return Long.parseLong(sql1(q));
    }

    String sql1(String q) throws Exception {
        try (Connection c = DriverManager.getConnection(q.contains("version()") ? adminJdbc : jdbc(), "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
            rs.next();
            return rs.getString(1);
        }
    }

    void sql(String q) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc(), "postgres", null); Statement st = c.createStatement()) {
            st.execute(q);
        }
    }

    void row(String measure, String result) {
        String line = "| " + measure + " | " + result + " |";
        report.add(line);
        log(line);
    }

    static void log(String s) {
        System.out.println("[" + Instant.now().toString().substring(11, 19) + "] " + s);
        System.out.flush();
    }
}
