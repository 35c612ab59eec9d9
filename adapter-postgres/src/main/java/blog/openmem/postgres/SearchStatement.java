package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.Verb;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The one statement of a search, built per query: vector candidates (HNSW for large users, exact
 * otherwise), full-text candidates, dates the query names, the audit entry, and the fused score.
 */
final class SearchStatement {
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
    /** Share of all rows above which a query term is left to the vector side for large users. */
    static final float COMMON_LEXEME_FREQUENCY = 0.005f;

    private final PostgresSettings settings;
    private final boolean pgvector;
    private final String modelLiteral;
    private final int dimension;
    private final UserTiers tiers;
    private final ExactNeighbours exact;
    private final Refreshed<String[]> commonLexemes = new Refreshed<>(600_000);

    SearchStatement(PostgresSettings settings, boolean pgvector, Embedder embedder, UserTiers tiers) {
        this.settings = settings;
        this.pgvector = pgvector;
        this.modelLiteral = Schema.literal(embedder.modelName());
        this.dimension = embedder.dimension();
        this.tiers = tiers;
        this.exact = pgvector ? null : new ExactNeighbours(embedder, settings);
    }

    /**
     * Builds the one statement of a search: candidates from the vector side (HNSW for heavy users,
     * exact otherwise; in exact mode the ids ranked here) united with full-text candidates, the
     * audit entry, and per candidate its vector similarity and keyword hits.
     */
    SqlParams build(Connection c, SearchQuery q, CallContext ctx, float[] qv, boolean large) throws SQLException {
        int candidates = Math.min(200, Math.max(40, q.limit() * 4));
        Instant at = searchTime(q);
        String action = ctx.operation() == Verb.CONTEXT ? "context" : "search";
        // Exact mode: similarities of many more rows than the vector candidates, so keyword candidates are
        // scored with their true cosine too (a typical user's rows are all covered).
        Map<String, Double> exactSims = pgvector ? Map.of() : exact.find(c, q, ctx, qv, at, Math.max(candidates,
                EXACT_SCORED));
        SqlParams sql = new SqlParams().sql("WITH ");
        if (!q.includeSuperseded()) {
            Filters.superseded(sql, q).sql(", ");
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
                Filters.filtersAfterUser(sql, q, at, ctx.readScopes());
                sql.sql(model + " AND m.ann ORDER BY (m.embedding::vector(" + dimension + ")) <=> ?::vector("
                        + dimension + ") LIMIT ?) UNION ALL (SELECT m.id FROM omp_memories m WHERE ", vec, candidates);
                Filters.filters(sql, q, at, ctx.readScopes());
                sql.sql(model + " AND NOT m.ann ORDER BY m.embedding <=> ?::vector LIMIT ?)), ", vec, candidates);
            } else {
                sql.sql("vec AS (SELECT m.id FROM omp_memories m WHERE ");
                Filters.filters(sql, q, at, ctx.readScopes());
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
            Filters.filters(sql, q, at, ctx.readScopes());
            sql.sql(" AND (m.tsv || ''::tsvector) @@ (SELECT tq FROM q) ORDER BY ts_rank_cd(m.tsv,"
                    + " (SELECT tq FROM q)) DESC LIMIT ?), ", candidates);
        } else {
            // A large user: the GIN index, with the query's rare terms only (frequent ones match a
            // large share of all rows and are the vector side's job), ranking a bounded set.
            sql.sql("kwo AS (SELECT x.id FROM (SELECT m.id, m.tsv"
                    + " FROM omp_memories m WHERE ");
            Filters.filters(sql, q, at, ctx.readScopes());
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
        List<QueryDates.Period> periods = namedDates(q, settings);
        boolean dateSide = !periods.isEmpty() && !large;
        if (dateSide) {
            sql.sql("dt AS (SELECT m.id FROM omp_memories m" + (pgvector ? "" : " LEFT JOIN ex ON ex.id = m.id")
                    + " WHERE ");
            Filters.filters(sql, q, at, ctx.readScopes());
            sql.sql(" AND ");
            Filters.datePredicate(sql, periods, MEMORY_TIME);
            sql.sql(pgvector ? " AND m.embedding_model = " + modelLiteral + " ORDER BY m.embedding <=> (SELECT qv FROM q)"
                    + " LIMIT ?), " : " ORDER BY ex.sim::float8 DESC NULLS LAST LIMIT ?), ", candidates);
        }
        sql.sql("cand AS (SELECT id FROM vec UNION SELECT id FROM kwo" + (dateSide ? " UNION SELECT id FROM dt" : "")
                + "), "
                + "aud AS (" + AuditLog.INSERT + "VALUES (?, clock_timestamp(), ?, ?, NULL, ?, ?)), "
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
            Filters.datePredicate(sql, periods, MEMORY_TIME);
            sql.sql(" THEN 1 ELSE 0 END AS ds");
        }
        double dw = periods.isEmpty() ? 0 : settings.dateWeight();
        sql.sql(" FROM omp_memories m JOIN cand USING (id)" + (pgvector ? "" : " LEFT JOIN ex ON ex.id = m.id")
                + " CROSS JOIN q), "
                + "scored AS (SELECT id, (" + settings.vectorWeight() + " * vs + " + (1 - settings.vectorWeight())
                + " * ks + " + dw + " * ds) / " + (1 + dw) + " AS score FROM parts) "
                + "SELECT " + Rows.COLS + ", s.score FROM scored s JOIN omp_memories m USING (id)"
                + " WHERE s.score > 0" + (q.minScore() != null ? " AND s.score >= ?" : "")
                + " ORDER BY s.score DESC, m.created_at DESC, m.id DESC LIMIT ?");
        if (q.minScore() != null) {
            sql.params(java.util.Arrays.asList((Object) q.minScore()));
        }
        return sql.params(java.util.Arrays.asList((Object) q.limit()));
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

    /** @return the time a search judges validity at: its {@code as_of}, else now */
    static Instant searchTime(SearchQuery q) {
        return q.asOf() != null ? q.asOf() : Instant.now();
    }

    /** @return the dates the query names, none when {@code date_weight} is 0 */
    static List<QueryDates.Period> namedDates(SearchQuery q, PostgresSettings settings) {
        return settings.dateWeight() > 0 ? QueryDates.parse(q.query()) : List.of();
    }
}
