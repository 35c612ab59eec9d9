package blog.openmem.core.vendor;

import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The filters of CONTRACT §3-§5 as predicates, for adapters whose vendor cannot apply them (or
 * not exactly): segment-prefix scopes, tags, {@code since}/{@code until}, validity at a time,
 * supersession and the caller's read scopes. Applied to what the vendor returns, they make the
 * answer exact; {@link Completion} keeps paging until {@code limit} items pass.
 */
public final class ClientFilter {
    private ClientFilter() {
    }

    /**
     * @param q          a list query
     * @param readScopes the caller's read scopes, or null
     * @return whether a memory belongs on its pages
     */
    public static Predicate<Memory> list(ListQuery q, List<ScopePattern> readScopes) {
        ScopePattern scope = q.scope() == null ? null : ScopePattern.parse(q.scope());
        return m -> (scope == null || scope.matches(m.scope()))
                && ScopePattern.anyMatches(readScopes, m.scope())
                && (q.tag() == null || (m.tags() != null && m.tags().contains(q.tag())))
                && (q.since() == null || !m.createdAt().isBefore(q.since()))
                && (q.until() == null || !m.createdAt().isAfter(q.until()));
    }

    /**
     * @param q          a search query
     * @param readScopes the caller's read scopes, or null
     * @param superseded ids superseded by a live memory of the user (ignored with
     *                   {@code include_superseded})
     * @param now        the current time (validity is judged at {@code as_of}, else now)
     * @return whether a memory may be a result (before {@code min_score} and {@code limit})
     */
    public static Predicate<Memory> search(SearchQuery q, List<ScopePattern> readScopes, Set<String> superseded,
                                           Instant now) {
        ScopePattern scope = q.scope() == null ? null : ScopePattern.parse(q.scope());
        Instant at = q.asOf() != null ? q.asOf() : now;
        return m -> (scope == null || scope.matches(m.scope()))
                && ScopePattern.anyMatches(readScopes, m.scope())
                && current(m, at)
                && (q.includeSuperseded() || !superseded.contains(m.id()));
    }

    /**
     * @param q     the query
     * @param score a hit's score in [0,1]
     * @return whether the hit meets the query's {@code min_score} (without one, every hit does)
     */
    public static boolean meetsMinScore(SearchQuery q, double score) {
        return q.minScore() == null || score >= q.minScore();
    }

    /**
     * @param m  a memory
     * @param at a time
     * @return whether its validity covers that time (CONTRACT §5)
     */
    public static boolean current(Memory m, Instant at) {
        return (m.validFrom() == null || !m.validFrom().isAfter(at)) && (m.validTo() == null || m.validTo().isAfter(at));
    }
}
