package blog.openmem.postgres;

import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    private RowRanking() {
    }

    /**
     * @param rows         all the user's rows (term rarity counts every row, as the statement does)
     * @param q            the search
     * @param readable     the caller's read confinement ({@code CallContext.readScopes()}), or null
     * @param at           the time validity is judged at
     * @param qv           the query's embedding
     * @param stems        the query's English stems
     * @param periods      dates the query names
     * @param vectorWeight share of the vector similarity
     * @param dateWeight   weight of a named date (used only when {@code periods} is not empty)
     * @return the top {@code q.limit()} results, best first
     */
    static List<SearchResult> rank(List<SearchCache.Row> rows, SearchQuery q, List<ScopePattern> readable, Instant at, float[] qv, String[] stems,
                                   List<QueryDates.Period> periods, double vectorWeight, double dateWeight) {
        int k = q.limit();
        if (k <= 0) {
            return List.of();
        }
        int n = rows.size();
        // Which stems each row contains (a bit per stem), and the weight of each stem:
        // ln(1 + n / (1 + rows with it)).
        int words = (stems.length + 63) >>> 6;
        long[] hit = new long[n * words];
        int[] df = new int[stems.length];
        int[] stemBits = new int[stems.length];
        for (int i = 0; i < stems.length; i++) {
            stemBits[i] = prefixBit(stems[i]);
        }
        for (int r = 0; r < n; r++) {
            SearchCache.Row row = rows.get(r);
            for (int i = 0; i < stems.length; i++) {
                if (contains(row.lexemes(), row.prefixBits(), stems[i], stemBits[i])) {
                    hit[r * words + (i >>> 6)] |= 1L << i;
                    df[i]++;
                }
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
        // The best q.limit() so far, best first: a user's rows nearly all score above 0, and
        // sorting them all cost more than scoring them.
        double[] topScore = new double[k];
        Memory[] top = new Memory[k];
        int size = 0;
        for (int r = 0; r < n; r++) {
            SearchCache.Row row = rows.get(r);
            Memory m = row.memory();
            if ((scope != null && !scope.matches(m.scope())) || !ScopePattern.anyMatches(readable, m.scope())
                    || (m.validFrom() != null && m.validFrom().isAfter(at))
                    || (m.validTo() != null && !m.validTo().isAfter(at))
                    || superseded.contains(m.id())) {
                continue;
            }
            double vs = row.vector() == null ? 0
                    : Math.max(0, Math.min(1, Vectors.cosine(qv, qnorm, row.vector(), row.norm())));
            double ks = 0;
            if (wsum > 0) {
                double sum = 0;
                for (int i = 0; i < stems.length; i++) {
                    sum += (hit[r * words + (i >>> 6)] & (1L << i)) != 0 ? w[i] : 0;
                }
                ks = sum / wsum;
            }
            double ds = dw > 0 && inPeriods(m.validFrom() != null ? m.validFrom() : m.createdAt(), periods) ? 1 : 0;
            double score = (vectorWeight * vs + (1 - vectorWeight) * ks + dw * ds) / (1 + dw);
            if (!(score > 0) || (q.minScore() != null && score < q.minScore())
                    || (size == k && !before(score, m, topScore[k - 1], top[k - 1]))) {
                continue;
            }
            int slot = size == k ? k - 1 : size++;
            for (; slot > 0 && before(score, m, topScore[slot - 1], top[slot - 1]); slot--) {
                topScore[slot] = topScore[slot - 1];
                top[slot] = top[slot - 1];
            }
            topScore[slot] = score;
            top[slot] = m;
        }
        List<SearchResult> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new SearchResult(top[i], topScore[i]));
        }
        return out;
    }

    /** The results' order: score, then newest first, then id descending (as the statement orders). */
    private static boolean before(double score, Memory m, double otherScore, Memory other) {
        if (score != otherScore) {
            return score > otherScore;
        }
        int c = m.createdAt().compareTo(other.createdAt());
        return c != 0 ? c > 0 : m.id().compareTo(other.id()) > 0;
    }

    /**
     * @param lexemes   a row's lexemes, sorted
     * @param bits      their {@link #prefixBits}
     * @param stem      a query stem
     * @param stemBit   the stem's {@link #prefixBit}
     * @return whether some lexeme starts with the stem
     */
    static boolean contains(String[] lexemes, long[] bits, String stem, int stemBit) {
        // Most rows lack most stems: one bit test rules them out before a binary search.
        if (stemBit >= 0 && (bits[stemBit >>> 6] & (1L << stemBit)) == 0) {
            return false;
        }
        // The lexemes a stem prefixes are a run starting where the stem would be inserted.
        int at = java.util.Arrays.binarySearch(lexemes, stem);
        at = at >= 0 ? at : -at - 1;
        return at < lexemes.length && lexemes[at].startsWith(stem);
    }

    /**
     * A 256-bit signature of lexeme prefixes: for each lexeme the bits of its first two and first
     * three characters, so a stem of two or more characters can only prefix a lexeme of a row whose
     * signature has the stem's {@link #prefixBit}.
     */
    static long[] prefixBits(String[] lexemes) {
        long[] bits = new long[4];
        for (String l : lexemes) {
            for (int len = 2; len <= Math.min(3, l.length()); len++) {
                int b = bit(l, len);
                bits[b >>> 6] |= 1L << b;
            }
        }
        return bits;
    }

    /** @return the signature bit a stem's lexemes must have, or -1 for a one-character stem */
    static int prefixBit(String stem) {
        return stem.length() < 2 ? -1 : bit(stem, Math.min(3, stem.length()));
    }

    private static int bit(String s, int len) {
        int h = len;
        for (int i = 0; i < len; i++) {
            h = 31 * h + s.charAt(i);
        }
        return (h * 0x9E3779B9) >>> 24;
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
