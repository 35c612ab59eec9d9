package blog.openmem.spi.model;

import java.time.Instant;

/**
 * Arguments of {@code audit} (CONTRACT §8).
 *
 * @param userId the user whose log to read (required)
 * @param app    only entries of this app (exact match), or null
 * @param since  entries at or after (inclusive), or null
 * @param limit  1..1000
 */
public record AuditQuery(String userId, String app, Instant since, int limit) {
    /** Default number of entries. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest number of entries. */
    public static final int MAX_LIMIT = 1000;

    /**
     * @param userId the user
     * @return the newest {@value #DEFAULT_LIMIT} entries of that user
     */
    public static AuditQuery of(String userId) {
        return new AuditQuery(userId, null, null, DEFAULT_LIMIT);
    }
}
