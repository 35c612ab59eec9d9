package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
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
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.SourceType;
import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import blog.openmem.spi.scope.SqlPredicate;
import com.fasterxml.jackson.core.type.TypeReference;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.HashSet;

/**
 * OMP on PostgreSQL: hybrid search (full-text with a GIN index fused with vector similarity),
 * an HNSW index per embedding model when pgvector is present (exact per-user similarity
 * otherwise), supersession and validity, an audit log written in the same statement as the change
 * it records, keyset pagination with signed cursors, and batch adds in one round trip.
 */
final class PostgresProvider implements MemoryProvider {
    static final String COLS = "m.id, m.user_id, m.content, m.scope, m.tags, m.source_app, m.source_type,"
            + " m.source_ref, m.confidence, m.valid_from, m.valid_to, m.supersedes, m.embedding_model, m.extensions,"
            + " m.created_at, m.updated_at";
    private static final String AUDIT_INSERT = "INSERT INTO omp_audit (user_id, ts, app, action, memory_id, scope,"
            + " request_id) ";
    /**
     * A CTE making the statement's own (autocommit) transaction commit durably, whatever the
     * session's {@code synchronous_commit=off}: the setting is read at commit, and set_config's
     * transaction-local value holds until then. One round trip instead of SET LOCAL + statement + COMMIT.
     */
    private static final String DURABLE = "sync AS (SELECT set_config('synchronous_commit', 'on', true))";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /**
     * Share of the vector similarity in the fused score; the rest is keyword coverage (the share of
     * the query's terms the memory contains). The score is computed in SQL, in [0,1]. 0.4 ranked
     * best on LoCoMo (0.3..0.7 tried).
     */
    static final double VECTOR_WEIGHT = 0.4;
    /** Weight of a date the query names (0.1..0.3 all help on LoCoMo's dated questions; 0.15 best). */
    static final double DATE_WEIGHT = 0.15;
    /** Rows each keyword side may rank. */
    private static final int KEYWORD_SCAN = 500;
    /** A query stem as a prefix term (exact matching of short stems measured worse on LoCoMo). */
    private static final String PREFIX = "quote_literal(x) || ':*'";
    /** The time a memory is about, for dates named in a query: valid_from, else when it was stored. */
    private static final String MEMORY_TIME = "COALESCE(m.valid_from, m.created_at)";
    /** Exact mode: rows whose cosine is handed to the scoring statement. */
    private static final int EXACT_SCORED = 1000;

    private final HikariDataSource ds;
    private final AutoCloseable embedded;
    private final Embedder embedder;
    private final boolean pgvector;
    private final Cursors cursors;
    private final PostgresSettings settings;
    private final String modelLiteral;
    private final int dimension;
    /** Which users are large (HNSW path, per-call plans), with the background promotion. */
    private final UserTiers tiers;
    /** Whether the store holds rows of a model other than this embedder's (checked every 30 s). */
    private final Refreshed<Boolean> mixedModels = new Refreshed<>(30_000);
    private final Refreshed<String[]> commonLexemes = new Refreshed<>(600_000);
    /** Share of all rows above which a query term is left to the vector side for large users. */
    static final float COMMON_LEXEME_FREQUENCY = 0.005f;
    private final java.util.concurrent.Semaphore gate;
    /** Exact mode: decoded vectors by memory id and row version. */
    private final VectorCache vectors;
    /** Typical users' rows, to rank their searches here (the database then does one small read). */
    private final SearchCache searchCache;
    /** The cache's columns of a row: its version, the memory, its vector if of this model, its lexemes. */
    private final String cacheCols;
    /** A cached search's one statement (see {@link #cachedSearch}). */
    private final String cachedSearchSql;
    private Instant lastCreated = Instant.EPOCH;

    PostgresProvider(HikariDataSource ds, AutoCloseable embedded, Embedder embedder, Schema.State state,
                     PostgresSettings settings) {
        this.ds = ds;
        this.embedded = embedded;
        this.embedder = embedder;
        this.pgvector = state.pgvector();
        this.tiers = new UserTiers(ds, embedder, settings, pgvector);
        this.cursors = new Cursors(state.cursorKey());
        this.settings = settings;
        this.modelLiteral = Schema.literal(embedder.modelName());
        this.dimension = embedder.dimension();
        this.gate = new java.util.concurrent.Semaphore(settings.poolSize(), true);
        // Bounded in bytes: 32 MiB hold ~21 800 vectors of 384 dimensions, ~5 400 of 1 536.
        this.vectors = new VectorCache((int) Math.min(Integer.MAX_VALUE,
                settings.exactCacheMb() * 1_048_576L / (4L * Math.max(1, embedder.dimension()))));
        this.searchCache = new SearchCache(settings.searchCacheMb() * 1_048_576L);
        this.cacheCols = "m.xmin::text AS rx, " + COLS + ", CASE WHEN m.embedding_model = " + modelLiteral + " THEN "
                + (pgvector ? "vector_send(m.embedding)" : "m.embedding") + " END AS vec, tsvector_to_array(m.tsv) AS lex";
        // The text of a cached search's statement (see cachedSearch), built once.
        this.cachedSearchSql = "WITH aud AS (" + AUDIT_INSERT
                + "VALUES (?, clock_timestamp(), ?, ?, NULL, ?, ?)), h AS (SELECT COALESCE(u.version, 0) AS uv,"
                + " COALESCE((SELECT version FROM omp_user_versions WHERE user_id = ''), 0) AS sv,"
                // The ids changed after the cached version: all listed ones, or those after its own.
                + " CASE WHEN u.previous = ?::bigint THEN u.changed ELSE ARRAY(SELECT x.c FROM unnest(u.changed,"
                + " u.changed_at) WITH ORDINALITY x(c, a, i) WHERE x.i > (SELECT max(y.j) FROM unnest(u.changed_at)"
                + " WITH ORDINALITY y(b, j) WHERE y.b = ?::bigint)) END AS uc,"
                + " tsvector_to_array(to_tsvector('english', ?)) AS stems,"
                + " u.changed IS NOT NULL AND u.version <> ?::bigint"
                + " AND (u.previous = ?::bigint OR ?::bigint = ANY(u.versions)) AS listed"
                + " FROM (SELECT 1) one LEFT JOIN omp_user_versions u ON u.user_id = ?)"
                // OFFSET 0 keeps the lateral read from being merged into the join, so "listed" gates it
                // (a one-time filter) instead of filtering the changed rows after reading them.
                + " SELECT h.*, f.* FROM h LEFT JOIN LATERAL (SELECT " + cacheCols + " FROM omp_memories m"
                + " WHERE h.listed AND h.sv = ?::bigint AND m.id = ANY(h.uc) AND m.user_id = ? OFFSET 0) f ON true";
    }

    /** @return the typical users' row cache (tests) */
    SearchCache searchCache() {
        return searchCache;
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
        return insert(inputs, null, ctx).memories();
    }

    /** As {@link #addAll}, each row with its original creation time (to the microsecond). */
    @Override
    public List<Memory> importAll(List<ImportedMemory> items, CallContext ctx) {
        return insert(items.stream().map(ImportedMemory::input).toList(),
                items.stream().map(i -> micros(i.createdAt())).toList(), ctx).memories();
    }

    /** Distinct users by a loose index scan of (user_id, created_at, id): one index probe per user. */
    @Override
    public List<String> listUsers(String after, int limit, CallContext ctx) {
        return read("list users", c -> {
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

    /**
     * A repeat of a key returns the first memory; of racing first uses exactly one inserts (the
     * unique index decides) and only that one reports it created the memory.
     */
    @Override
    public AddOutcome addIdempotent(MemoryInput input, CallContext ctx) {
        Optional<Memory> earlier = findByIdempotencyKey(input.userId(), ctx.idempotencyKey(), ctx);
        if (earlier.isPresent()) {
            return new AddOutcome(earlier.get(), false);
        }
        Inserted r = insert(List.of(input), null, ctx);
        return new AddOutcome(r.memories().get(0), !r.conflicted());
    }

    /** What {@link #insert} wrote: the memories, and whether an idempotency key's twin won the race. */
    private record Inserted(List<Memory> memories, boolean conflicted) {
    }

    /** @param createdAts each row's creation time, or null for now */
    private Inserted insert(List<MemoryInput> inputs, List<Instant> createdAts, CallContext ctx) {
        List<float[]> vectors = embedder.embed(inputs.stream().map(MemoryInput::content).toList());
        int n = inputs.size();
        String[][] cols = new String[17][n];
        List<Memory> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemoryInput in = inputs.get(i);
            Memory m = Memory.builder().id("mem_" + Ulid.next()).content(in.content()).userId(in.userId())
                    .createdAt(createdAts == null ? nextCreatedAt() : createdAts.get(i)).scope(in.scope()).tags(in.tags()).source(in.source())
                    .confidence(in.confidence()).validFrom(micros(in.validFrom())).validTo(micros(in.validTo()))
                    .supersedes(in.supersedes()).embeddingModel(embedder.modelName()).status(MemoryStatus.DONE)
                    .extensions(in.extensions()).build();
            out.add(m);
            cols[0][i] = m.id();
            cols[1][i] = m.userId();
            cols[2][i] = m.content();
            cols[3][i] = m.scope();
            cols[4][i] = m.tags() == null ? null : OmpJson.write(m.tags());
            cols[5][i] = m.source() == null ? null : m.source().app();
            cols[6][i] = m.source() == null || m.source().type() == null ? null : m.source().type().wireName();
            cols[7][i] = m.source() == null ? null : m.source().ref();
            cols[8][i] = m.confidence() == null ? null : m.confidence().toString();
            cols[9][i] = m.validFrom() == null ? null : m.validFrom().toString();
            cols[10][i] = m.validTo() == null ? null : m.validTo().toString();
            cols[11][i] = m.supersedes() == null ? null : OmpJson.write(m.supersedes());
            cols[12][i] = pgvector ? Vectors.toPgvector(vectors.get(i)) : Vectors.toHex(vectors.get(i));
            cols[13][i] = m.extensions().isEmpty() ? null : OmpJson.write(m.extensions());
            cols[14][i] = m.createdAt().toString();
            cols[15][i] = pgvector && tiers.cached(m.userId()) != UserTiers.Tier.TYPICAL ? "t" : "f";
            cols[16][i] = n == 1 ? ctx.idempotencyKey() : null;
        }
        SqlParams sql = new SqlParams().sql("WITH " + DURABLE + ", ins AS (INSERT INTO omp_memories (id, user_id,"
                + " content, scope, tags, source_app, source_type, source_ref, confidence, valid_from, valid_to,"
                + " supersedes, embedding_model, embedding, extensions, created_at, ann, idempotency_key)"
                + " SELECT u.id, u.user_id, u.content, u.scope,"
                + " CASE WHEN u.tags IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)) END,"
                + " u.source_app, u.source_type, u.source_ref, u.confidence::float8, u.valid_from::timestamptz,"
                + " u.valid_to::timestamptz,"
                + " CASE WHEN u.supersedes IS NULL THEN NULL"
                + " ELSE ARRAY(SELECT jsonb_array_elements_text(u.supersedes::jsonb)) END, ?, "
                + (pgvector ? "u.emb::vector" : "decode(u.emb, 'hex')")
                + ", u.extensions::jsonb, u.created_at::timestamptz, u.ann::boolean, u.idem FROM unnest(", embedder.modelName());
        for (int c = 0; c < cols.length; c++) {
            sql.sql(c == 0 ? "?::text[]" : ", ?::text[]", new SqlParams.TextArray(cols[c]));
        }
        sql.sql(") AS u(id, user_id, content, scope, tags, source_app, source_type, source_ref, confidence,"
                + " valid_from, valid_to, supersedes, emb, extensions, created_at, ann, idem)"
                + " ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
                + " RETURNING id, user_id, scope, source_app), aud AS ("
                + AUDIT_INSERT + "SELECT user_id, clock_timestamp(), COALESCE(?, source_app), 'add', id, scope, ?"
                + " FROM ins) SELECT count(*) FROM ins, sync", ctx.app(), ctx.requestId());
        long inserted = writeOne("add", c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        if (inserted < n) {
            // Only a single add with an idempotency key can conflict: a concurrent twin won the race.
            return new Inserted(List.of(findByIdempotencyKey(inputs.get(0).userId(), ctx.idempotencyKey(), ctx)
                    .orElseThrow(() -> new ProviderException("postgres: add conflicted but no earlier memory was found",
                            ErrorDetails.provider("postgres")))), true);
        }
        return new Inserted(out, false);
    }

    @Override
    public Optional<Memory> findByIdempotencyKey(String userId, String key, CallContext ctx) {
        return read("add", c -> {
            try (PreparedStatement ps = new SqlParams().sql("SELECT " + COLS + " FROM omp_memories m WHERE m.user_id = ?"
                    + " AND m.idempotency_key = ?", userId, key).prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<Memory>empty();
            }
        });
    }

    @Override
    public void checkHealth() {
        read("health check", c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                st.execute("SELECT 1");
            }
            return null;
        });
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        return write("update", c -> {
            Memory current;
            try (PreparedStatement ps = byId("SELECT " + COLS + " FROM omp_memories m WHERE m.id = ?", id, userId,
                    " FOR UPDATE").prepare(c);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Memory>empty();
                }
                current = row(rs);
            }
            Memory next = update.applyTo(current, micros(Instant.now()));
            boolean reembed = !next.content().equals(current.content())
                    || !embedder.modelName().equals(current.embeddingModel());
            SqlParams sql = new SqlParams().sql("WITH upd AS (UPDATE omp_memories SET content = ?, scope = ?,"
                    + " tags = ?::text[], confidence = ?::float8, valid_to = ?::timestamptz, supersedes = ?::text[],"
                    + " updated_at = ?::timestamptz",
                    next.content(), next.scope(), array(next.tags()), next.confidence(), next.validTo(),
                    array(next.supersedes()), next.updatedAt());
            if (reembed) {
                float[] v = embedder.embed(next.content());
                sql.sql(", embedding_model = ?, embedding = " + (pgvector ? "?::vector" : "decode(?, 'hex')"),
                        embedder.modelName(), pgvector ? Vectors.toPgvector(v) : Vectors.toHex(v));
                next = next.toBuilder().embeddingModel(embedder.modelName()).build();
            }
            sql.sql(" WHERE id = ? RETURNING id, user_id, scope) " + AUDIT_INSERT
                    + "SELECT user_id, clock_timestamp(), ?, 'update', id, scope, ? FROM upd", id, ctx.app(),
                    ctx.requestId());
            try (PreparedStatement ps = sql.prepare(c)) {
                ps.executeUpdate();
            }
            return Optional.of(next);
        });
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        return writeOne("delete", c -> {
            SqlParams sql = byId("WITH " + DURABLE + ", del AS (DELETE FROM omp_memories m WHERE m.id = ?", id,
                    userId,
                    " RETURNING m.id, m.user_id, m.scope), aud AS (" + AUDIT_INSERT
                            + "SELECT user_id, clock_timestamp(), ?, 'delete', id, scope, ? FROM del)"
                            + " SELECT count(*) FROM del, sync");
            sql.params(Arrays.asList(ctx.app(), ctx.requestId()));
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        SqlParams sql;
        if (ctx.operation() == null || ctx.operation() == Verb.GET) {
            sql = byId("WITH g AS (SELECT " + COLS + " FROM omp_memories m WHERE m.id = ?", id, userId,
                    "), aud AS (" + AUDIT_INSERT + "SELECT user_id, clock_timestamp(), ?, 'get', id, scope, ? FROM g)"
                            + " SELECT * FROM g m");
            sql.params(Arrays.asList(ctx.app(), ctx.requestId()));
        } else {
            // A check before another operation, which audits itself: not a get of the caller's.
            sql = byId("SELECT " + COLS + " FROM omp_memories m WHERE m.id = ?", id, userId, "");
        }
        return read("get", c -> {
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.<Memory>empty();
            }
        });
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        String fingerprint = String.join("\u0001", q.userId(), String.valueOf(q.scope()), String.valueOf(q.tag()),
                String.valueOf(q.since()), String.valueOf(q.until()), String.valueOf(ctx.readScopes()));
        Cursors.Position after = q.cursor() == null ? null : cursors.decode(q.cursor(), fingerprint);
        SqlParams sql = new SqlParams().sql("WITH page AS (SELECT " + COLS + " FROM omp_memories m WHERE m.user_id = ?",
                q.userId());
        scope(sql, q.scope());
        readScopes(sql, ctx.readScopes(), "m.scope");
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
        sql.sql(" ORDER BY m.created_at DESC, m.id DESC LIMIT ?), aud AS (" + AUDIT_INSERT
                + "VALUES (?, clock_timestamp(), ?, 'list', NULL, ?, ?))"
                + " SELECT * FROM page m ORDER BY m.created_at DESC, m.id DESC",
                q.limit() + 1, q.userId(), ctx.app(), q.scope(), ctx.requestId());
        List<Memory> rows = read("list", c -> {
            List<Memory> out = new ArrayList<>();
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
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
        checkSingleModel(q.userId());
        float[] qv = embedder.embed(q.query());
        String action = ctx.operation() == Verb.CONTEXT ? "context" : "search";
        return read(action, c -> {
            boolean large = tiers.large(c, q.userId());
            if (!large && searchCache.enabled()) {
                SearchCache.Entry cached = searchCache.get(q.userId());
                // Every search of a held user is ranked here, the first one included: scores from
                // the two paths differ in the last float digits, and a client reusing a score as
                // min_score must get the same results from the next search.
                if (cached == null || !cached.tooLarge()) {
                    return cachedSearch(c, q, ctx, qv, action, cached);
                }
            }
            SqlParams sql = searchSql(c, q, ctx, qv, large);
            List<SearchResult> results = new ArrayList<>(q.limit());
            // Exact-mode sessions plan every call already (see the factory): nothing to switch.
            boolean perCallPlan = large && pgvector;
            if (perCallPlan) {
                planEachCall(c, true);
            }
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.add(new SearchResult(row(rs), rs.getDouble("score")));
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
     * A typical user's search ranked here ({@link RowRanking}) from their rows in {@link SearchCache}:
     * one statement writes the audit entry and reads the user's store version, the query's stems
     * and, when the version moved on by changes the version row still lists (up to 16 ids) since the
     * cached one, the rows changed after the cached version (in the same snapshot as the version).
     * Otherwise a second statement reads the user's rows, in full only those changed.
     */
    private List<SearchResult> cachedSearch(Connection c, SearchQuery q, CallContext ctx, float[] qv, String action,
                                            SearchCache.Entry cached) throws SQLException {
        Long at = cached == null ? null : cached.version().user();
        Long atStore = at == null ? null : cached.version().store();
        SearchCache.Version version;
        boolean listed;
        String[] changed = null;
        String[] stems;
        List<SearchCache.Row> fresh = new ArrayList<>();
        try (PreparedStatement ps = new SqlParams().sql(cachedSearchSql,
                q.userId(), ctx.app(), action, q.scope(), ctx.requestId(), at, at, q.query(), at, at, at, q.userId(),
                atStore, q.userId()).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            version = new SearchCache.Version(rs.getLong("uv"), rs.getLong("sv"));
            listed = rs.getBoolean("listed") && atStore != null && atStore == version.store();
            if (listed) {
                changed = (String[]) rs.getArray("uc").getArray();
            }
            stems = (String[]) rs.getArray("stems").getArray();
            do {
                if (listed && rs.getString("rx") != null) {
                    fresh.add(cacheRow(rs));
                }
            } while (rs.next());
        }
        searchCache.readChanged(fresh.size());
        List<SearchCache.Row> rows;
        if (cached != null && cached.version().equals(version)) {
            rows = cached.rows();
        } else {
            // A whole-user read comes after the version: if the user changed in between, its rows are newer
            // than the version they are kept under, and the next search (seeing a newer version) reads
            // them again. Listed rows were read in the version's own snapshot.
            rows = listed ? apply(cached.rows(), changed, fresh) : userRows(c, q.userId(), cached);
            searchCache.put(q.userId(), version, rows);
        }
        return RowRanking.rank(rows, q, ctx.readScopes(), searchTime(q), qv, stems, namedDates(q),
                settings.vectorWeight(), settings.dateWeight());
    }

    /** @return the time a search judges validity at: its {@code as_of}, else now */
    private static Instant searchTime(SearchQuery q) {
        return q.asOf() != null ? q.asOf() : Instant.now();
    }

    /** @return the dates the query names, none when {@code date_weight} is 0 */
    private List<QueryDates.Period> namedDates(SearchQuery q) {
        return settings.dateWeight() > 0 ? QueryDates.parse(q.query()) : List.of();
    }

    /** @return {@code rows} with the rows of {@code changed} ids replaced by {@code fresh} (absent: deleted) */
    private static List<SearchCache.Row> apply(List<SearchCache.Row> rows, String[] changed, List<SearchCache.Row> fresh) {
        Set<String> gone = new HashSet<>(Arrays.asList(changed));
        List<SearchCache.Row> out = new ArrayList<>(rows.size() + fresh.size());
        for (SearchCache.Row r : rows) {
            if (!gone.contains(r.memory().id())) {
                out.add(r);
            }
        }
        out.addAll(fresh);
        return out;
    }

    private SearchCache.Row cacheRow(ResultSet rs) throws SQLException {
        byte[] vec = rs.getBytes("vec");
        return SearchCache.Row.of(row(rs), rs.getString("rx"), vec == null ? null
                : pgvector ? Vectors.fromPgvectorBinary(vec) : Vectors.fromBytes(vec), (String[]) rs.getArray("lex").getArray());
    }

    /** A user's rows; those unchanged since {@code old} (same id and row version) are taken from it. */
    private List<SearchCache.Row> userRows(Connection c, String userId, SearchCache.Entry old) throws SQLException {
        searchCache.readWhole();
        Map<String, SearchCache.Row> known = new HashMap<>();
        if (old != null && !old.tooLarge()) {
            old.rows().forEach(r -> known.put(r.memory().id(), r));
        }
        String[] ids = known.keySet().toArray(String[]::new);
        String[] versions = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            versions[i] = known.get(ids[i]).xmin();
        }
        List<SearchCache.Row> rows = new ArrayList<>();
        try (PreparedStatement ps = new SqlParams().sql("SELECT m.id AS rid, f.* FROM omp_memories m"
                + " LEFT JOIN unnest(?::text[], ?::text[]) k(id, x) ON k.id = m.id AND k.x = m.xmin::text"
                + " LEFT JOIN LATERAL (SELECT " + cacheCols + " WHERE k.id IS NULL) f ON true WHERE m.user_id = ?",
                new SqlParams.TextArray(ids), new SqlParams.TextArray(versions), userId).prepare(c);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString("id") == null ? known.get(rs.getString("rid")) : cacheRow(rs));
            }
        }
        return rows;
    }

    /**
     * Builds the one statement of a search: candidates from the vector side (HNSW for heavy users,
     * exact otherwise; in exact mode the ids ranked here) united with full-text candidates, the
     * audit entry, and per candidate its vector similarity and keyword hits.
     */
    SqlParams searchSql(Connection c, SearchQuery q, CallContext ctx, float[] qv, boolean large) throws SQLException {
        int candidates = Math.min(200, Math.max(40, q.limit() * 4));
        Instant at = searchTime(q);
        String action = ctx.operation() == Verb.CONTEXT ? "context" : "search";
        // Exact mode: similarities of many more rows than the vector candidates, so keyword candidates are
        // scored with their true cosine too (a typical user's rows are all covered).
        Map<String, Double> exactSims = pgvector ? Map.of() : exactNeighbours(c, q, ctx, qv, at, Math.max(candidates,
                EXACT_SCORED));
        SqlParams sql = new SqlParams().sql("WITH ");
        if (!q.includeSuperseded()) {
            superseded(sql, q).sql(", ");
        }
        Object vec = pgvector ? new SqlParams.Untyped(Vectors.toPgvector(qv)) : null;
        // The query vector, bound once as q.qv (the server parses every bound copy).
        sql.sql("q AS MATERIALIZED (SELECT " + (pgvector ? "?::vector AS qv, " : ""),
                pgvector ? new Object[] {vec} : new Object[0]);
        // Query terms: English stems without stop words ("when did she go" → go), each matched as a
        // prefix of the stored simple-config lexemes (paint:* finds painted, painting), so keyword
        // search stems without a second index; large users keep the rare-term query.
        sql.sql("s.stems AS lex,"
                + " ARRAY(SELECT to_tsquery('simple', " + PREFIX + ") FROM unnest(s.stems) x) AS stemq,"
                + " CASE WHEN cardinality(s.stems) = 0 THEN NULL ELSE to_tsquery('simple', array_to_string(ARRAY("
                + "SELECT " + PREFIX + " FROM unnest(s.stems) x), ' | ')) END AS tq, ");
        if (large) {
            // The rare-term query of a large user's GIN side (the common-lexeme list is not sent otherwise).
            sql.sql("websearch_to_tsquery('simple', array_to_string(ARRAY(SELECT l FROM"
                    + " unnest(tsvector_to_array(to_tsvector('simple', ?))) l WHERE l <> ALL(?::text[])), ' or ')) AS tqr",
                    q.query(), new SqlParams.TextArray(commonLexemes(c)));
        } else {
            sql.sql("NULL::tsquery AS tqr");
        }
        sql.sql(" FROM (SELECT tsvector_to_array(to_tsvector('english', ?)) AS stems) s), ", q.query());
        boolean hnswPath = pgvector && settings.ann() && tiers.cached(q.userId()) == UserTiers.Tier.LARGE;
        if (pgvector) {
            String model = " AND m.embedding_model = " + modelLiteral;
            if (hnswPath) {
                // The user's flagged rows through the HNSW graph (iterative scan keeps the user filter
                // correct), plus any rows not yet flagged, ranked exactly.
                // The user id is a literal here: with a parameter, a cached generic plan assumes an
                // average user and walks this user's whole btree range instead of the graph.
                sql.sql("vec AS ((SELECT m.id FROM omp_memories m WHERE m.user_id = " + Schema.literal(q.userId()));
                filtersAfterUser(sql, q, at, ctx.readScopes());
                sql.sql(model + " AND m.ann ORDER BY (m.embedding::vector(" + dimension + ")) <=> ?::vector("
                        + dimension + ") LIMIT ?) UNION ALL (SELECT m.id FROM omp_memories m WHERE ", vec, candidates);
                filters(sql, q, at, ctx.readScopes());
                sql.sql(model + " AND NOT m.ann ORDER BY m.embedding <=> ?::vector LIMIT ?)), ", vec, candidates);
            } else {
                sql.sql("vec AS (SELECT m.id FROM omp_memories m WHERE ");
                filters(sql, q, at, ctx.readScopes());
                sql.sql(model + " ORDER BY m.embedding <=> (SELECT qv FROM q) LIMIT ?), ", candidates);
            }
        } else {
            sql.sql("ex AS (SELECT * FROM unnest(?::text[], ?::text[]) AS e(id, sim)),"
                    + " vec AS (SELECT id FROM ex ORDER BY sim::float8 DESC LIMIT ?), ",
                    new SqlParams.TextArray(exactSims.keySet().toArray(String[]::new)),
                    new SqlParams.TextArray(exactSims.values().stream().map(String::valueOf).toArray(String[]::new)),
                    candidates);
        }
        if (!large) {
            // A typical user's rows are few: filter them directly (the non-indexable form keeps the
            // planner on the per-user index instead of a GIN scan over every user's rows).
            sql.sql("kwo AS (SELECT m.id FROM omp_memories m WHERE ");
            filters(sql, q, at, ctx.readScopes());
            sql.sql(" AND (m.tsv || ''::tsvector) @@ (SELECT tq FROM q) ORDER BY ts_rank_cd(m.tsv,"
                    + " (SELECT tq FROM q)) DESC LIMIT ?), ", candidates);
        } else {
            // A large user: the GIN index, with the query's rare terms only (frequent ones match a
            // large share of all rows and are the vector side's job), ranking a bounded set.
            sql.sql("kwo AS (SELECT x.id FROM (SELECT m.id, m.tsv"
                    + " FROM omp_memories m WHERE ");
            filters(sql, q, at, ctx.readScopes());
            sql.sql(" AND m.tsv @@ (SELECT tqr FROM q) LIMIT " + KEYWORD_SCAN + ") x ORDER BY ts_rank_cd(x.tsv,"
                    + " (SELECT tqr FROM q)) DESC LIMIT ?), ", candidates);
        }
        if (!large) {
            // Term weights from this user's own rows: a word in every memory (a speaker's name) counts
            // little, a rare one (a place, a hobby) a lot.
            sql.sql("idf AS MATERIALIZED (SELECT s.i, ln(1 + u.n / (1 + count(m.id) FILTER (WHERE m.tsv @@ s.sq)))"
                    + " AS w FROM q CROSS JOIN LATERAL unnest(q.stemq) WITH ORDINALITY s(sq, i)"
                    + " CROSS JOIN (SELECT count(*)::float8 AS n FROM omp_memories WHERE user_id = ?) u"
                    // only rows matching some term can match one: the others are not tested per term
                    + " LEFT JOIN (SELECT m.id, m.tsv FROM omp_memories m WHERE m.user_id = ?"
                    + " AND (m.tsv || ''::tsvector) @@ (SELECT tq FROM q)) m ON true GROUP BY s.i, u.n), ",
                    q.userId(), q.userId());
        } else {
            sql.sql("idf AS (SELECT s.i, 1.0::float8 AS w FROM q CROSS JOIN LATERAL unnest(q.stemq) WITH ORDINALITY"
                    + " s(sq, i)), ");
        }
        // A query naming dates: a typical user's memories of those dates are candidates too (their
        // nearest by vector), so the date share can lift one neither side ranked high enough.
        List<QueryDates.Period> periods = namedDates(q);
        boolean dateSide = !periods.isEmpty() && !large;
        if (dateSide) {
            sql.sql("dt AS (SELECT m.id FROM omp_memories m" + (pgvector ? "" : " LEFT JOIN ex ON ex.id = m.id")
                    + " WHERE ");
            filters(sql, q, at, ctx.readScopes());
            sql.sql(" AND ");
            datePredicate(sql, periods, MEMORY_TIME);
            sql.sql(pgvector ? " AND m.embedding_model = " + modelLiteral + " ORDER BY m.embedding <=> (SELECT qv FROM q)"
                    + " LIMIT ?), " : " ORDER BY ex.sim::float8 DESC NULLS LAST LIMIT ?), ", candidates);
        }
        sql.sql("cand AS (SELECT id FROM vec UNION SELECT id FROM kwo" + (dateSide ? " UNION SELECT id FROM dt" : "")
                + "), "
                + "aud AS (" + AUDIT_INSERT + "VALUES (?, clock_timestamp(), ?, ?, NULL, ?, ?)), "
                + "parts AS (SELECT m.id, greatest(0, least(1, "
                + (pgvector ? "CASE WHEN m.embedding_model = " + modelLiteral + " THEN 1 - (m.embedding <=> q.qv)"
                        + " ELSE 0 END" : "COALESCE(ex.sim::float8, 0)") + "))"
                + " AS vs, CASE WHEN m.tsv @@ q.tq THEN COALESCE((SELECT sum(idf.w) FILTER (WHERE m.tsv @@"
                + " q.stemq[idf.i]) / NULLIF(sum(idf.w), 0) FROM idf), 0) ELSE 0 END AS ks, ",
                q.userId(), ctx.app(), action, q.scope(), ctx.requestId());
        // A query naming dates, months or years: memories whose time (valid_from, else when stored)
        // falls in one of them get the date share; the score stays in [0,1].
        if (periods.isEmpty()) {
            sql.sql("0 AS ds");
        } else {
            sql.sql("CASE WHEN ");
            datePredicate(sql, periods, MEMORY_TIME);
            sql.sql(" THEN 1 ELSE 0 END AS ds");
        }
        double dw = periods.isEmpty() ? 0 : settings.dateWeight();
        sql.sql(" FROM omp_memories m JOIN cand USING (id)" + (pgvector ? "" : " LEFT JOIN ex ON ex.id = m.id")
                + " CROSS JOIN q), "
                + "scored AS (SELECT id, (" + settings.vectorWeight() + " * vs + " + (1 - settings.vectorWeight())
                + " * ks + " + dw + " * ds) / " + (1 + dw) + " AS score FROM parts) "
                + "SELECT " + COLS + ", s.score FROM scored s JOIN omp_memories m USING (id)"
                + " WHERE s.score > 0" + (q.minScore() != null ? " AND s.score >= ?" : "")
                + " ORDER BY s.score DESC, m.created_at DESC, m.id DESC LIMIT ?");
        if (q.minScore() != null) {
            sql.params(java.util.Arrays.asList((Object) q.minScore()));
        }
        return sql.params(java.util.Arrays.asList((Object) q.limit()));
    }

    /** Appends "{@code time} falls in one of {@code periods}" (UTC calendar). */
    private static void datePredicate(SqlParams sql, List<QueryDates.Period> periods, String time) {
        sql.sql("(");
        for (int i = 0; i < periods.size(); i++) {
            QueryDates.Period p = periods.get(i);
            sql.sql(i == 0 ? "" : " OR ");
            if (p.year() != null) {
                sql.sql("(" + time + " >= ? AND " + time + " < ?)", p.start(), p.end());
            } else {
                sql.sql("extract(month FROM " + time + " AT TIME ZONE 'UTC') = ?", p.month());
            }
        }
        sql.sql(")");
    }

    /** @return the search statement as SQL text and bind values, for diagnostics and benchmarks */
    PostgresDiagnostics.Statement describeSearch(SearchQuery q, CallContext ctx) {
        float[] qv = embedder.embed(q.query());
        return read("search", c -> {
            SqlParams sql = searchSql(c, q, ctx, qv, tiers.large(c, q.userId()));
            return new PostgresDiagnostics.Statement(sql.text(), sql.values());
        });
    }

    /**
     * Exact mode: cosine over the user's newest rows of the current model, computed here. The rows'
     * ids and versions are read first; only vectors missing from (or stale in) the cache travel,
     * so a repeated search moves a few bytes per row instead of its whole vector.
     */
    private Map<String, Double> exactNeighbours(Connection c, SearchQuery q, CallContext ctx, float[] qv, Instant at, int k)
            throws SQLException {
        SqlParams sql = new SqlParams();
        if (!q.includeSuperseded()) {
            superseded(sql.sql("WITH "), q).sql(" ");
        }
        boolean cached = settings.exactCacheMb() > 0;
        sql.sql("SELECT m.id, " + (cached ? "m.xmin::text" : "m.embedding") + " FROM omp_memories m WHERE ");
        filters(sql, q, at, ctx.readScopes());
        sql.sql(" AND m.embedding_model = ? ORDER BY m.created_at DESC LIMIT ?", embedder.modelName(),
                settings.exactScanLimit());
        PriorityQueue<Map.Entry<String, Double>> best = new PriorityQueue<>(Map.Entry.comparingByValue());
        List<String> missing = new ArrayList<>();
        double qnorm = Vectors.norm(qv);
        try (PreparedStatement ps = sql.prepare(c)) {
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    float[] v;
                    if (!cached) {
                        v = Vectors.fromBytes(rs.getBytes(2));
                    } else {
                        v = vectors.get(id, rs.getString(2));
                        if (v == null) {
                            missing.add(id);
                            continue;
                        }
                    }
                    keepBest(best, k, id, Vectors.cosine(qv, qnorm, v, Vectors.norm(v)));
                }
            }
        }
        for (int from = 0; from < missing.size(); from += 1000) {
            List<String> ids = missing.subList(from, Math.min(missing.size(), from + 1000));
            try (PreparedStatement ps = new SqlParams().sql("SELECT id, xmin::text, embedding FROM omp_memories"
                    + " WHERE id = ANY(?::text[]) AND embedding_model = ?", new SqlParams.TextArray(
                    ids.toArray(String[]::new)), embedder.modelName()).prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    float[] v = Vectors.fromBytes(rs.getBytes(3));
                    vectors.put(rs.getString(1), rs.getString(2), v);
                    keepBest(best, k, rs.getString(1), Vectors.cosine(qv, qnorm, v, Vectors.norm(v)));
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        best.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void keepBest(PriorityQueue<Map.Entry<String, Double>> best, int k, String id, double sim) {
        if (best.size() < k) {
            best.add(Map.entry(id, sim));
        } else if (sim > best.peek().getValue()) {
            best.poll();
            best.add(Map.entry(id, sim));
        }
    }

    @Override
    public List<AuditEntry> audit(AuditQuery q, CallContext ctx) {
        SqlParams sql = new SqlParams().sql("SELECT ts, app, action, memory_id, scope, request_id FROM omp_audit"
                + " WHERE user_id = ?", q.userId());
        if (q.app() != null) {
            sql.sql(" AND app = ?", q.app());
        }
        if (q.since() != null) {
            sql.sql(" AND ts >= ?", q.since());
        }
        readScopes(sql, ctx.readScopes(), "scope");
        sql.sql(" ORDER BY ts DESC, id DESC LIMIT ?", q.limit());
        return read("audit", c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                            Verb.fromWire(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        });
    }

    /** Waits until background promotions queued so far are done (tests and benchmarks). */
    void awaitPromotions() {
        tiers.awaitPromotions();
    }

    @Override
    public void close() {
        tiers.close();
        ds.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                // Shutting down anyway.
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The filters shared by search's candidate queries: owner, scope, validity, supersession. */
    private static void filters(SqlParams sql, SearchQuery q, Instant at, List<ScopePattern> readable) {
        sql.sql("m.user_id = ?", q.userId());
        filtersAfterUser(sql, q, at, readable);
    }

    private static void filtersAfterUser(SqlParams sql, SearchQuery q, Instant at, List<ScopePattern> readable) {
        scope(sql, q.scope());
        readScopes(sql, readable, "m.scope");
        sql.sql(" AND (m.valid_from IS NULL OR m.valid_from <= ?) AND (m.valid_to IS NULL OR m.valid_to > ?)", at, at);
        if (!q.includeSuperseded()) {
            sql.sql(" AND NOT EXISTS (SELECT 1 FROM sup WHERE sup.id = m.id)");
        }
    }

    /** The CTE {@code sup}: ids superseded by a live memory of the user, read by {@link #filters}. */
    private static SqlParams superseded(SqlParams sql, SearchQuery q) {
        return sql.sql("sup AS (SELECT DISTINCT unnest(supersedes) AS id FROM omp_memories"
                + " WHERE user_id = ? AND supersedes IS NOT NULL)", q.userId());
    }

    /** The caller's read confinement ({@link CallContext#readScopes()}), when it has one. */
    private static void readScopes(SqlParams sql, List<ScopePattern> patterns, String column) {
        if (patterns != null) {
            SqlPredicate p = ScopePattern.anyToSql(patterns, column);
            sql.sql(" AND " + p.sql()).params(p.parameters());
        }
    }

    private static void scope(SqlParams sql, String scope) {
        if (scope != null) {
            SqlPredicate p = ScopePattern.parse(scope).toSql("m.scope");
            sql.sql(" AND " + p.sql()).params(p.parameters());
        }
    }

    private static SqlParams byId(String head, String id, String userId, String tail) {
        SqlParams sql = new SqlParams().sql(head, id);
        if (userId != null) {
            sql.sql(" AND m.user_id = ?", userId);
        }
        return sql.sql(tail);
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



    /**
     * Lexemes found in more than {@value #COMMON_LEXEME_FREQUENCY} of all rows, from the planner's
     * statistics ({@code pg_stats.most_common_elems}), refreshed every ten minutes.
     */
    private String[] commonLexemes(Connection c) throws SQLException {
        return commonLexemes.get(() -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT most_common_elems::text::text[],"
                    + " most_common_elem_freqs FROM pg_stats WHERE tablename = 'omp_memories' AND attname = 'tsv'");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getArray(1) != null) {
                    String[] elems = (String[]) rs.getArray(1).getArray();
                    Object freqs = rs.getArray(2).getArray();
                    for (int i = 0; i < elems.length; i++) {
                        float f = freqs instanceof Float[] fa ? fa[i] : ((float[]) freqs)[i];
                        if (f > COMMON_LEXEME_FREQUENCY) {
                            out.add(elems[i]);
                        }
                    }
                }
            }
            return out.toArray(String[]::new);
        });
    }




    /**
     * Refuses to rank a user whose memories were embedded by another model (CONTRACT §5): comparing
     * them with this model's query vector would be meaningless. The store-wide check is cached.
     */
    private void checkSingleModel(String userId) {
        // min and max are read from the model index's two ends; "EXISTS (... model < x)" was planned
        // as a sequential scan whenever the statistics were stale (200 ms on 200 000 rows).
        boolean mixed;
        try {
            mixed = mixedModels.get(() -> read("search", c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE((SELECT"
                        + " min(embedding_model) FROM omp_memories) < " + modelLiteral + " OR (SELECT"
                        + " max(embedding_model) FROM omp_memories) > " + modelLiteral + ", false)")) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }));
        } catch (SQLException e) {
            throw SqlErrors.map(e, "search");
        }
        if (!mixed) {
            return;
        }
        String other = read("search", c -> {
            try (PreparedStatement ps = new SqlParams().sql("(SELECT embedding_model FROM omp_memories WHERE user_id = ?"
                    + " AND embedding_model < ? LIMIT 1) UNION ALL (SELECT embedding_model FROM omp_memories"
                    + " WHERE user_id = ? AND embedding_model > ? LIMIT 1)", userId, embedder.modelName(), userId,
                    embedder.modelName()).prepare(c); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
        if (!other.isEmpty()) {
            throw new InvalidRequestException("query: memories of this user were embedded with '" + other
                    + "' but this server embeds queries with '" + embedder.modelName()
                    + "'; re-embed them or configure the embedder '" + other + "'",
                    ErrorDetails.provider("postgres"));
        }
    }

    @Override
    public long reembed(int batchSize, java.util.function.LongConsumer progress) {
        String model = embedder.modelName();
        long total = 0;
        String after = "";
        while (true) {
            // The next rows still on another model, after the last id seen: one pass over the ids
            // (rows already done are not re-read by every batch); a restarted run picks up anew.
            String from = after;
            List<String[]> batch = read("reembed", c -> {
                List<String[]> rows = new ArrayList<>();
                try (PreparedStatement ps = new SqlParams().sql("SELECT id, content FROM omp_memories"
                        + " WHERE id > ? AND embedding_model <> ? ORDER BY id LIMIT ?", from, model, batchSize)
                        .prepare(c);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
                return rows;
            });
            if (batch.isEmpty()) {
                break;
            }
            after = batch.get(batch.size() - 1)[0];
            List<float[]> vectors = embedder.embed(batch.stream().map(r -> r[1]).toList());
            int done = write("reembed", c -> {
                int n = 0;
                try (PreparedStatement ps = c.prepareStatement("UPDATE omp_memories SET embedding_model = ?, embedding = "
                        + (pgvector ? "?::vector" : "decode(?, 'hex')") + " WHERE id = ? AND embedding_model <> ?")) {
                    for (int i = 0; i < batch.size(); i++) {
                        float[] v = vectors.get(i);
                        ps.setString(1, model);
                        ps.setString(2, pgvector ? Vectors.toPgvector(v) : Vectors.toHex(v));
                        ps.setString(3, batch.get(i)[0]);
                        ps.setString(4, model);
                        ps.addBatch();
                    }
                    for (int r : ps.executeBatch()) {
                        n += Math.max(0, r);
                    }
                }
                return n;
            });
            total += done;
            progress.accept(total);
        }
        write("reembed", c -> {
            // Users on the ANN path stay there under the new model (their rows keep ann = true).
            try (PreparedStatement ps = new SqlParams().sql("INSERT INTO omp_large_users (user_id, embedding_model)"
                    + " SELECT DISTINCT user_id, ? FROM omp_large_users WHERE embedding_model <> ?"
                    + " ON CONFLICT DO NOTHING", model, model).prepare(c)) {
                ps.executeUpdate();
            }
            return null;
        });
        mixedModels.expire();
        return total;
    }

    private synchronized Instant nextCreatedAt() {
        Instant now = micros(Instant.now());
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
        return lastCreated;
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static SqlParams.TextArray array(List<String> l) {
        return l == null ? null : new SqlParams.TextArray(l.toArray(String[]::new));
    }

    static Memory row(ResultSet rs) throws SQLException {
        String ext = rs.getString("extensions");
        String sourceApp = rs.getString("source_app");
        String sourceType = rs.getString("source_type");
        String sourceRef = rs.getString("source_ref");
        double conf = rs.getDouble("confidence");
        Double confidence = rs.wasNull() ? null : conf;
        return Memory.builder()
                .id(rs.getString("id"))
                .userId(rs.getString("user_id"))
                .content(rs.getString("content"))
                .scope(rs.getString("scope"))
                .tags(strings(rs.getArray("tags")))
                .source(sourceApp == null && sourceType == null && sourceRef == null ? null
                        : new MemorySource(sourceApp, sourceType == null ? null : SourceType.fromWire(sourceType),
                        sourceRef))
                .confidence(confidence)
                .validFrom(instant(rs, "valid_from"))
                .validTo(instant(rs, "valid_to"))
                .supersedes(strings(rs.getArray("supersedes")))
                .embeddingModel(rs.getString("embedding_model"))
                .extensions(ext == null ? Map.of() : OmpJson.read(ext, MAP))
                .createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at"))
                .status(MemoryStatus.DONE)
                .build();
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? null : List.of((String[]) a.getArray());
    }

    /** A unit of JDBC work. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Reads run in autocommit. Their audit rows use the session default
     * {@code synchronous_commit=off}: atomic and ordered, but the last few hundred milliseconds of
     * read-audit may be lost if the server crashes. Writes are always synchronous (see {@link #write}).
     */
    private <T> T read(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw SqlErrors.map(e, what);
        }
    }

    /**
     * Runs work on a pooled connection, callers served first come, first served. HikariCP lets a
     * thread that just returned a connection take it straight back, so under saturation some
     * waiters starved past the pool timeout (503s at 600 searches/s in the server's load test);
     * a fair semaphore (one permit per pooled connection) in front of the pool queues them in
     * order instead. Background work (promotion of large users) takes its connection directly.
     */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        // One deadline for the queue and the pool together: a wait of the pool timeout for a permit
        // and then another for a connection would add up to twice the timeout when the database is
        // down (64 callers: a 503 after 2.09 s, where the contract allows 2 s).
        long deadline = System.nanoTime() + settings.poolTimeout().toNanos();
        boolean permit;
        try {
            permit = gate.tryAcquire(settings.poolTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.sql.SQLTransientConnectionException("interrupted while waiting for a connection");
        }
        if (!permit) {
            throw new java.sql.SQLTransientConnectionException("all " + settings.poolSize()
                    + " connections busy for " + settings.poolTimeout().toMillis() + " ms");
        }
        try (Connection c = connection(deadline)) {
            return work.run(c);
        } finally {
            gate.release();
        }
    }

    /** A pooled connection within what is left of the caller's deadline. */
    private Connection connection(long deadline) throws SQLException {
        long leftMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs < 1) {
            throw new java.sql.SQLTransientConnectionException("no connection within "
                    + settings.poolTimeout().toMillis() + " ms");
        }
        if (ds.getHikariPoolMXBean() instanceof com.zaxxer.hikari.pool.HikariPool pool) {
            return pool.getConnection(leftMs);
        }
        return ds.getConnection();
    }

    /** Writes: one transaction with a durable commit; the audit entry is in the same transaction. */
    private <T> T write(String what, SqlWork<T> work) {
        return writeOne(what, c -> {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL synchronous_commit TO on");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection is broken; the pool will discard it.
                }
                throw e;
            }
        });
    }

    /**
     * A write of one statement in its own (autocommit) transaction; the statement makes its commit
     * durable itself ({@link #DURABLE}). {@link #write} runs its transactions through here too.
     */
    private <T> T writeOne(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw SqlErrors.map(e, what);
        } catch (OmpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProviderException("postgres: " + what + " failed", new ErrorDetails("postgres", null, null, e));
        }
    }
}
