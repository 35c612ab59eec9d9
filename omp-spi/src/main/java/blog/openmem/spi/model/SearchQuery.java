package blog.openmem.spi.model;

import java.time.Instant;

/**
 * Arguments of {@code search} (CONTRACT §3, §5).
 *
 * @param query             the text to look for (non-blank)
 * @param userId            the owner (required)
 * @param scope             a scope pattern, or null
 * @param limit             1..100
 * @param minScore          drop results scoring below it, before {@code limit}; or null
 * @param asOf              evaluate validity at this instant instead of now; or null
 * @param includeSuperseded also return superseded memories
 */
public record SearchQuery(String query, String userId, String scope, int limit, Double minScore, Instant asOf,
                          boolean includeSuperseded) {
    /** Default number of results. */
    public static final int DEFAULT_LIMIT = 10;
    /** Largest number of results. */
    public static final int MAX_LIMIT = 100;

    /**
     * @param userId the owner
     * @param query  the text
     * @return a builder with defaults
     */
    public static Builder builder(String userId, String query) {
        return new Builder(userId, query);
    }

    /**
     * @param newLimit a limit
     * @return the same query with another limit
     */
    public SearchQuery withLimit(int newLimit) {
        return new SearchQuery(query, userId, scope, newLimit, minScore, asOf, includeSuperseded);
    }

    /** Builder for {@link SearchQuery}. */
    public static final class Builder {
        private final String userId;
        private final String query;
        private String scope;
        private int limit = DEFAULT_LIMIT;
        private Double minScore;
        private Instant asOf;
        private boolean includeSuperseded;

        private Builder(String userId, String query) {
            this.userId = userId;
            this.query = query;
        }

        /** @param v scope pattern @return this */
        public Builder scope(String v) { this.scope = v; return this; }
        /** @param v number of results @return this */
        public Builder limit(int v) { this.limit = v; return this; }
        /** @param v minimum score @return this */
        public Builder minScore(Double v) { this.minScore = v; return this; }
        /** @param v validity instant @return this */
        public Builder asOf(Instant v) { this.asOf = v; return this; }
        /** @param v include superseded memories @return this */
        public Builder includeSuperseded(boolean v) { this.includeSuperseded = v; return this; }

        /** @return the query */
        public SearchQuery build() {
            return new SearchQuery(query, userId, scope, limit, minScore, asOf, includeSuperseded);
        }
    }
}
