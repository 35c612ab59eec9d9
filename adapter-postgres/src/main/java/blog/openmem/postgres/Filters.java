package blog.openmem.postgres;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.scope.ScopePattern;
import blog.openmem.spi.scope.SqlPredicate;
import java.time.Instant;
import java.util.List;

/**
 * The predicates statements share, appended to a {@link SqlParams}: owner, scope patterns, read
 * confinement, validity, supersession, dates named in a query.
 */
final class Filters {
    private Filters() {
    }

    /** The filters shared by search's candidate queries: owner, scope, validity, supersession. */
    static void filters(SqlParams sql, SearchQuery q, Instant at, List<ScopePattern> readable) {
        sql.sql("m.user_id = ?", q.userId());
        filtersAfterUser(sql, q, at, readable);
    }

    /** {@link #filters} after an owner predicate the caller wrote itself. */
    static void filtersAfterUser(SqlParams sql, SearchQuery q, Instant at, List<ScopePattern> readable) {
        scope(sql, q.scope());
        readScopes(sql, readable, "m.scope");
        sql.sql(" AND (m.valid_from IS NULL OR m.valid_from <= ?) AND (m.valid_to IS NULL OR m.valid_to > ?)", at, at);
        if (!q.includeSuperseded()) {
            sql.sql(" AND NOT EXISTS (SELECT 1 FROM sup WHERE sup.id = m.id)");
        }
    }

    /** The CTE {@code sup}: ids superseded by a live memory of the user, read by {@link #filters}. */
    static SqlParams superseded(SqlParams sql, SearchQuery q) {
        return sql.sql("sup AS (SELECT DISTINCT unnest(supersedes) AS id FROM omp_memories"
                + " WHERE user_id = ? AND supersedes IS NOT NULL)", q.userId());
    }

    /** The caller's read confinement ({@link CallContext#readScopes()}), when it has one. */
    static void readScopes(SqlParams sql, List<ScopePattern> patterns, String column) {
        if (patterns != null) {
            SqlPredicate p = ScopePattern.anyToSql(patterns, column);
            sql.sql(" AND " + p.sql()).params(p.parameters());
        }
    }

    /** A scope pattern of the query (segment prefix, CONTRACT §4), when it has one. */
    static void scope(SqlParams sql, String scope) {
        if (scope != null) {
            SqlPredicate p = ScopePattern.parse(scope).toSql("m.scope");
            sql.sql(" AND " + p.sql()).params(p.parameters());
        }
    }

    /** {@code head} for one id, confined to its owner when {@code userId} is given, then {@code tail}. */
    static SqlParams byId(String head, String id, String userId, String tail) {
        SqlParams sql = new SqlParams().sql(head, id);
        if (userId != null) {
            sql.sql(" AND m.user_id = ?", userId);
        }
        return sql.sql(tail);
    }

    /** Appends "{@code time} falls in one of {@code periods}" (UTC calendar). */
    static void datePredicate(SqlParams sql, List<QueryDates.Period> periods, String time) {
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
}
