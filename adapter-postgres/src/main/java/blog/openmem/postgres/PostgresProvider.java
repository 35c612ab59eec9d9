package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.Limits;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * OMP on PostgreSQL: hybrid search (full-text with a GIN index fused with vector similarity),
 * an HNSW index per embedding model when pgvector is present (exact per-user similarity
 * otherwise), supersession and validity, an audit log written in the same statement as the change
 * it records, keyset pagination with signed cursors, and batch adds in one round trip.
 */
final class PostgresProvider implements MemoryProvider {
    private final Database db;
    private final AutoCloseable embedded;
    private final Embedder embedder;
    private final boolean pgvector;
    private final Cursors cursors;
    /** Which users are large (HNSW path, per-call plans), with the background promotion. */
    private final UserTiers tiers;
    private final MemoryWrites writes;
    private final AuditLog auditLog;
    private final EmbeddingModels models;
    private final SearchStatement statement;
    private final CachedSearch cachedSearch;

    PostgresProvider(HikariDataSource ds, AutoCloseable embedded, Embedder embedder, Schema.State state,
                     PostgresSettings settings) {
        this.db = new Database(ds, settings);
        this.embedded = embedded;
        this.embedder = embedder;
        this.pgvector = state.pgvector();
        this.tiers = new UserTiers(ds, embedder, settings, pgvector);
        this.cursors = new Cursors(state.cursorKey());
        this.writes = new MemoryWrites(db, embedder, pgvector, tiers);
        this.auditLog = new AuditLog(db);
        this.models = new EmbeddingModels(db, embedder, pgvector);
        this.statement = new SearchStatement(settings, pgvector, embedder, tiers);
        this.cachedSearch = new CachedSearch(settings, pgvector, Schema.literal(embedder.modelName()));
    }

    /** @return the typical users' row cache (tests) */
    SearchCache searchCache() {
        return cachedSearch.cache();
    }

    /** @return whether the HNSW (pgvector) mode is active */
    boolean pgvector() {
        return pgvector;
    }

    @Override
    public Capabilities capabilities() {
        Features f = new Features(true, true, false, true, ScopeSupport.NATIVE, Features.DEFAULT_MAX_CONTENT_LENGTH,
                false, true, true, null)
                .withExtra("vector_index", pgvector ? "hnsw" : "exact")
                .withExtra("embedding_model", embedder.modelName())
                .withExtra("idempotent_add", true)
                .withExtra(Features.LIST_USERS, true)
                .withExtra(Features.KEEPS_CREATED_AT, true);
        return Capabilities.of("postgres", EnumSet.allOf(Verb.class), f, new Limits(null, 100, null));
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Memory add(MemoryInput input, CallContext ctx) {
        return addAll(List.of(input), ctx).get(0);
    }

    /** One statement for the whole batch: the rows and their audit entries, via unnest. */
    @Override
    public List<Memory> addAll(List<MemoryInput> inputs, CallContext ctx) {
        return writes.insert(inputs, null, ctx).memories();
    }

    /** As {@link #addAll}, each row with its original creation time (to the microsecond). */
    @Override
    public List<Memory> importAll(List<ImportedMemory> items, CallContext ctx) {
        return writes.insert(items.stream().map(ImportedMemory::input).toList(),
                items.stream().map(i -> Rows.micros(i.createdAt())).toList(), ctx).memories();
    }

    /**
     * A repeat of a key returns the first memory; of racing first uses exactly one inserts (the
     * unique index decides) and only that one reports it created the memory.
     */
    @Override
    public AddOutcome addIdempotent(MemoryInput input, CallContext ctx) {
        return writes.addIdempotent(input, ctx);
    }

    @Override
    public Optional<Memory> findByIdempotencyKey(String userId, String key, CallContext ctx) {
        return writes.findByIdempotencyKey(userId, key, ctx);
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        return writes.update(id, userId, update, ctx);
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        return writes.delete(id, userId, ctx);
    }

    @Override
    public long reembed(int batchSize, LongConsumer progress) {
        return models.reembed(batchSize, progress);
    }

    // ---------------------------------------------------------------- reads

    /** Distinct users by a loose index scan of (user_id, created_at, id): one index probe per user. */
    @Override
    public List<String> listUsers(String after, int limit, CallContext ctx) {
        return db.read("list users", c -> {
            try (PreparedStatement ps = new SqlParams().sql("WITH RECURSIVE u(user_id) AS ("
                    + "(SELECT user_id FROM omp_memories WHERE user_id > ? ORDER BY user_id LIMIT 1) UNION ALL"
                    + " SELECT (SELECT m.user_id FROM omp_memories m WHERE m.user_id > u.user_id ORDER BY m.user_id"
                    + " LIMIT 1) FROM u WHERE u.user_id IS NOT NULL)"
                    + " SELECT user_id FROM u WHERE user_id IS NOT NULL LIMIT ?", after == null ? "" : after, limit)
                    .prepare(c); ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public void checkHealth() {
        db.read("health check", c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                st.execute("SELECT 1");
            }
            return null;
        });
    }

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        SqlParams sql;
        if (ctx.operation() == null || ctx.operation() == Verb.GET) {
            sql = Filters.byId("WITH g AS (SELECT " + Rows.COLS + " FROM omp_memories m WHERE m.id = ?", id, userId,
                    "), aud AS (" + AuditLog.INSERT + "SELECT user_id, clock_timestamp(), ?, 'get', id, scope, ? FROM g)"
                            + " SELECT * FROM g m");
            sql.params(Arrays.asList(ctx.app(), ctx.requestId()));
        } else {
            // A check before another operation, which audits itself: not a get of the caller's.
            sql = Filters.byId("SELECT " + Rows.COLS + " FROM omp_memories m WHERE m.id = ?", id, userId, "");
        }
        return db.read("get", c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.row(rs)) : Optional.<Memory>empty();
            }
        });
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        String fingerprint = String.join("\u0001", q.userId(), String.valueOf(q.scope()), String.valueOf(q.tag()),
                String.valueOf(q.since()), String.valueOf(q.until()), String.valueOf(ctx.readScopes()));
        Cursors.Position after = q.cursor() == null ? null : cursors.decode(q.cursor(), fingerprint);
        SqlParams sql = new SqlParams().sql("WITH page AS (SELECT " + Rows.COLS + " FROM omp_memories m WHERE m.user_id = ?",
                q.userId());
        Filters.scope(sql, q.scope());
        Filters.readScopes(sql, ctx.readScopes(), "m.scope");
        if (q.tag() != null) {
            sql.sql(" AND m.tags @> ARRAY[?]::text[]", q.tag());
        }
        if (q.since() != null) {
            sql.sql(" AND m.created_at >= ?", q.since());
        }
        if (q.until() != null) {
            sql.sql(" AND m.created_at <= ?", q.until());
        }
        if (after != null) {
            sql.sql(" AND (m.created_at, m.id) < (?, ?)", after.createdAt(), after.id());
        }
        sql.sql(" ORDER BY m.created_at DESC, m.id DESC LIMIT ?), aud AS (" + AuditLog.INSERT
                + "VALUES (?, clock_timestamp(), ?, 'list', NULL, ?, ?))"
                + " SELECT * FROM page m ORDER BY m.created_at DESC, m.id DESC",
                q.limit() + 1, q.userId(), ctx.app(), q.scope(), ctx.requestId());
        List<Memory> rows = db.read("list", c -> {
            List<Memory> out = new ArrayList<>();
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.row(rs));
                }
            }
            return out;
        });
        if (rows.size() <= q.limit()) {
            return new MemoryPage(rows, null);
        }
        List<Memory> page = rows.subList(0, q.limit());
        Memory last = page.get(page.size() - 1);
        return new MemoryPage(page, cursors.encode(new Cursors.Position(last.createdAt(), last.id()), fingerprint));
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        models.checkSingleModel(q.userId());
        float[] qv = embedder.embed(q.query());
        String action = ctx.operation() == Verb.CONTEXT ? "context" : "search";
        return db.read(action, c -> {
            boolean large = tiers.large(c, q.userId());
            if (!large && cachedSearch.cache().enabled()) {
                SearchCache.Entry cached = cachedSearch.cache().get(q.userId());
                // Every search of a held user is ranked here, the first one included: scores from
                // the two paths differ in the last float digits, and a client reusing a score as
                // min_score must get the same results from the next search.
                if (cached == null || !cached.tooLarge()) {
                    return cachedSearch.search(c, q, ctx, qv, action, cached);
                }
            }
            SqlParams sql = statement.build(c, q, ctx, qv, large);
            List<SearchResult> results = new ArrayList<>(q.limit());
            // Exact-mode sessions plan every call already (see the factory): nothing to switch.
            boolean perCallPlan = large && pgvector;
            if (perCallPlan) {
                planEachCall(c, true);
            }
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.add(new SearchResult(Rows.row(rs), rs.getDouble("score")));
                }
            } finally {
                if (perCallPlan) {
                    planEachCall(c, false);
                }
            }
            return results;
        });
    }

    /**
     * pgvector sessions reuse generic plans of their server-prepared statements (the typical user's
     * search then skips ~1 ms of planning); a large user's search is planned for its own values, since
     * a generic plan cannot know how many rows that user has or which query terms are rare. Off
     * returns to the session's own setting (from the connection options).
     */
    private static void planEachCall(Connection c, boolean on) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(on ? "SET plan_cache_mode = force_custom_plan" : "RESET plan_cache_mode");
        }
    }

    /** @return the search statement as SQL text and bind values, for diagnostics and benchmarks */
    PostgresDiagnostics.Statement describeSearch(SearchQuery q, CallContext ctx) {
        float[] qv = embedder.embed(q.query());
        return db.read("search", c -> {
            SqlParams sql = statement.build(c, q, ctx, qv, tiers.large(c, q.userId()));
            return new PostgresDiagnostics.Statement(sql.text(), sql.values());
        });
    }

    @Override
    public List<AuditEntry> audit(AuditQuery q, CallContext ctx) {
        return auditLog.read(q, ctx);
    }

    /** Waits until background promotions queued so far are done (tests and benchmarks). */
    void awaitPromotions() {
        tiers.awaitPromotions();
    }

    @Override
    public void close() {
        tiers.close();
        db.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                // Shutting down anyway.
            }
        }
    }
}
