package blog.openmem.spi.model;

import java.time.Instant;

/**
 * Arguments of {@code list} (CONTRACT §3): newest first, keyset pagination.
 *
 * @param userId the owner (required)
 * @param scope  a scope pattern (CONTRACT §4), or null
 * @param tag    only memories carrying this tag, or null
 * @param since  created at or after (inclusive), or null
 * @param until  created at or before (inclusive), or null
 * @param limit  page size, 1..500
 * @param cursor the previous page's {@code next_cursor}, or null for the first page
 */
public record ListQuery(String userId, String scope, String tag, Instant since, Instant until, int limit,
                        String cursor) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    public static final int MAX_LIMIT = 500;

    /**
     * @param userId the owner
     * @return a builder with defaults
     */
    public static Builder builder(String userId) {
        return new Builder(userId);
    }

    /**
     * @param cursor the next cursor
     * @return the same query for the following page
     */
    public ListQuery withCursor(String cursor) {
        return new ListQuery(userId, scope, tag, since, until, limit, cursor);
    }

    /** Builder for {@link ListQuery}. */
    public static final class Builder {
        private final String userId;
        private String scope;
        private String tag;
        private Instant since;
        private Instant until;
        private int limit = DEFAULT_LIMIT;
        private String cursor;

        private Builder(String userId) {
            this.userId = userId;
        }

        /** @param v scope pattern @return this */
        public Builder scope(String v) { this.scope = v; return this; }
        /** @param v tag @return this */
        public Builder tag(String v) { this.tag = v; return this; }
        /** @param v inclusive lower bound of created_at @return this */
        public Builder since(Instant v) { this.since = v; return this; }
        /** @param v inclusive upper bound of created_at @return this */
        public Builder until(Instant v) { this.until = v; return this; }
        /** @param v page size @return this */
        public Builder limit(int v) { this.limit = v; return this; }
        /** @param v cursor @return this */
        public Builder cursor(String v) { this.cursor = v; return this; }

        /** @return the query */
        public ListQuery build() {
            return new ListQuery(userId, scope, tag, since, until, limit, cursor);
        }
    }
}
