package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typical users' searches ranked in the JVM ({@link RowRanking}) from their rows held in
 * {@link SearchCache}, kept current by the store version each search reads in its one statement.
 */
final class CachedSearch {
    private final PostgresSettings settings;
    private final boolean pgvector;
    private final SearchCache searchCache;
    /** The cache's columns of a row: its version, the memory, its vector if of this model, its lexemes. */
    private final String cacheCols;
    /** A cached search's one statement (see {@link #search}), built once. */
    private final String cachedSearchSql;

    CachedSearch(PostgresSettings settings, boolean pgvector, String modelLiteral) {
        this.settings = settings;
        this.pgvector = pgvector;
        this.searchCache = new SearchCache(settings.searchCacheMb() * 1_048_576L);
        this.cacheCols = "m.xmin::text AS rx, " + Rows.COLS + ", CASE WHEN m.embedding_model = " + modelLiteral + " THEN "
                + (pgvector ? "vector_send(m.embedding)" : "m.embedding") + " END AS vec, tsvector_to_array(m.tsv) AS lex";
        // The text of a cached search's statement (see search), built once.
        this.cachedSearchSql = "WITH aud AS (" + AuditLog.INSERT
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

    /** @return the typical users' row cache */
    SearchCache cache() {
        return searchCache;
    }

    /**
     * A typical user's search ranked here ({@link RowRanking}) from their rows in {@link SearchCache}:
     * one statement writes the audit entry and reads the user's store version, the query's stems
     * and, when the version moved on by changes the version row still lists (up to 16 ids) since the
     * cached one, the rows changed after the cached version (in the same snapshot as the version).
     * Otherwise a second statement reads the user's rows, in full only those changed.
     */
    List<SearchResult> search(Connection c, SearchQuery q, CallContext ctx, float[] qv, String action,
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
        return RowRanking.rank(rows, q, ctx.readScopes(), SearchStatement.searchTime(q), qv, stems,
                SearchStatement.namedDates(q, settings),
                settings.vectorWeight(), settings.dateWeight());
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
        return SearchCache.Row.of(Rows.row(rs), rs.getString("rx"), vec == null ? null
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
}
