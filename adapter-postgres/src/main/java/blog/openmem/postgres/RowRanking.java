package blog.openmem.postgres;

import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The search statement's scoring, over a user's rows held in memory ({@link SearchCache}): the
 * same filters (scope, validity at the query's time, supersession), the same fused score
 * (vector share, keyword coverage weighted by the user's own term rarity, date share) and the same
 * order. Every row that passes the filters is scored, where the statement scores only the
 * candidates of its vector, keyword and date sides, so for a user with fewer rows than a side's
 * candidate count both give the same results.
 *
 * <p>Query terms are the English stems of the query (from the database, {@code to_tsvector(
 * 'english', q)}), each matching any stored lexeme it is a prefix of, as {@code stem:*} does; a
 * compound stem ({@code foo-bar}) matches as one prefix.
 */
final class RowRanking {
    private static final Comparator<SearchResult> ORDER = Comparator.comparingDouble(SearchResult::score).reversed()
            .thenComparing((SearchResult r) -> r.memory().createdAt(), Comparator.reverseOrder())
            .thenComparing((SearchResult r) -> r.memory().id(), Comparator.reverseOrder());

    private RowRanking() {
    }

    /**
     * @param rows         all the user's rows (term rarity counts every row, as the statement does)
     * @param q            the search
     * @param at           the time validity is judged at
     * @param qv           the query's embedding
     * @param stems        the query's English stems
     * @param periods      dates the query names
     * @param vectorWeight share of the vector similarity
     * @param dateWeight   weight of a named date (used only when {@code periods} is not empty)
     * @return the top {@code q.limit()} results, best first
     */
    static List<SearchResult> rank(List<SearchCache.Row> rows, SearchQuery q, Instant at, float[] qv, String[] stems,
                                   List<QueryDates.Period> periods, double vectorWeight, double dateWeight) {
        int n = rows.size();
        // Which stems each row contains, and the weight of each stem: ln(1 + n / (1 + rows with it)).
        boolean[][] has = new boolean[n][];
        int[] df = new int[stems.length];
        for (int r = 0; r < n; r++) {
            has[r] = terms(rows.get(r).lexemes(), stems);
            for (int i = 0; i < stems.length; i++) {
                df[i] += has[r][i] ? 1 : 0;
            }
        }
        double[] w = new double[stems.length];
        double wsum = 0;
        for (int i = 0; i < stems.length; i++) {
            w[i] = Math.log(1 + (double) n / (1 + df[i]));
            wsum += w[i];
        }
        Set<String> superseded = new HashSet<>();
        if (!q.includeSuperseded()) {
            for (SearchCache.Row row : rows) {
                if (row.memory().supersedes() != null) {
                    superseded.addAll(row.memory().supersedes());
                }
            }
        }
        ScopePattern scope = q.scope() == null ? null : ScopePattern.parse(q.scope());
        double dw = periods.isEmpty() ? 0 : dateWeight;
        double qnorm = Vectors.norm(qv);
        // The best q.limit() so far, worst on top: a user's rows nearly all score above 0, and
        // sorting them all cost more than scoring them.
        java.util.PriorityQueue<SearchResult> best = new java.util.PriorityQueue<>(q.limit() + 1, ORDER.reversed());
        for (int r = 0; r < n; r++) {
            SearchCache.Row row = rows.get(r);
            Memory m = row.memory();
            if ((scope != null && !scope.matches(m.scope()))
                    || (m.validFrom() != null && m.validFrom().isAfter(at))
                    || (m.validTo() != null && !m.validTo().isAfter(at))
                    || superseded.contains(m.id())) {
                continue;
            }
            double vs = row.vector() == null ? 0
                    : Math.max(0, Math.min(1, Vectors.cosine(qv, qnorm, row.vector(), row.norm())));
            double ks = 0;
            if (wsum > 0) {
                double hit = 0;
                for (int i = 0; i < stems.length; i++) {
                    hit += has[r][i] ? w[i] : 0;
                }
                ks = hit / wsum;
            }
            double ds = dw > 0 && inPeriods(m.validFrom() != null ? m.validFrom() : m.createdAt(), periods) ? 1 : 0;
            double score = (vectorWeight * vs + (1 - vectorWeight) * ks + dw * ds) / (1 + dw);
            if (score > 0 && (q.minScore() == null || score >= q.minScore())) {
                if (best.size() < q.limit()) {
                    best.add(new SearchResult(m, score));
                } else if (score >= best.peek().score()) {
                    SearchResult candidate = new SearchResult(m, score);
                    if (ORDER.compare(candidate, best.peek()) < 0) {
                        best.poll();
                        best.add(candidate);
                    }
                }
            }
        }
        List<SearchResult> out = new ArrayList<>(best);
        out.sort(ORDER);
        return out;
    }

    /** @return per stem, whether some lexeme starts with it ({@code lexemes} sorted) */
    static boolean[] terms(String[] lexemes, String[] stems) {
        boolean[] has = new boolean[stems.length];
        for (int i = 0; i < stems.length; i++) {
            // The lexemes a stem prefixes are a run starting where the stem would be inserted.
            int at = java.util.Arrays.binarySearch(lexemes, stems[i]);
            at = at >= 0 ? at : -at - 1;
            has[i] = at < lexemes.length && lexemes[at].startsWith(stems[i]);
        }
        return has;
    }

    /** The statement's date predicate: UTC calendar, a month without a year in any year. */
    static boolean inPeriods(Instant t, List<QueryDates.Period> periods) {
        for (QueryDates.Period p : periods) {
            if (p.year() != null ? !t.isBefore(p.start()) && t.isBefore(p.end())
                    : t.atZone(ZoneOffset.UTC).getMonthValue() == p.month()) {
                return true;
            }
        }
        return false;
    }
}
