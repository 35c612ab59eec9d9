package blog.openmem.spi.model;

import java.time.Instant;

/**
 * Arguments of {@code context} (CONTRACT §3, §6).
 *
 * @param query             the text to build context for (non-blank)
 * @param userId            the owner (required)
 * @param scope             a scope pattern, or null
 * @param tokenBudget       1..100 000 tokens; the block never exceeds it
 * @param asOf              validity instant, or null for now
 * @param includeSuperseded also consider superseded memories
 */
public record ContextQuery(String query, String userId, String scope, int tokenBudget, Instant asOf,
                           boolean includeSuperseded) {
    /** Default budget. */
    public static final int DEFAULT_TOKEN_BUDGET = 500;
    /** Largest budget. */
    public static final int MAX_TOKEN_BUDGET = 100_000;

    /**
     * @param userId the owner
     * @param query  the text
     * @return a builder with defaults
     */
    public static Builder builder(String userId, String query) {
        return new Builder(userId, query);
    }

    /**
     * @param limit how many candidates
     * @return the search that gives the candidates of this context
     */
    public SearchQuery toSearch(int limit) {
        return new SearchQuery(query, userId, scope, limit, null, asOf, includeSuperseded);
    }

    /** Builder for {@link ContextQuery}. */
    public static final class Builder {
        private final String userId;
        private final String query;
        private String scope;
        private int tokenBudget = DEFAULT_TOKEN_BUDGET;
        private Instant asOf;
        private boolean includeSuperseded;

        private Builder(String userId, String query) {
            this.userId = userId;
            this.query = query;
        }

        /** @param v scope pattern @return this */
        public Builder scope(String v) { this.scope = v; return this; }
        /** @param v token budget @return this */
        public Builder tokenBudget(int v) { this.tokenBudget = v; return this; }
        /** @param v validity instant @return this */
        public Builder asOf(Instant v) { this.asOf = v; return this; }
        /** @param v include superseded memories @return this */
        public Builder includeSuperseded(boolean v) { this.includeSuperseded = v; return this; }

        /** @return the query */
        public ContextQuery build() {
            return new ContextQuery(query, userId, scope, tokenBudget, asOf, includeSuperseded);
        }
    }
}
