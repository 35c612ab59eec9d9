package blog.openmem.core.vendor;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A position in a newest-first list (CONTRACT §5): the creation time and id of the last memory
 * examined. Kept in a {@link VendorCursor}, it makes a vendor's pages exact under concurrent writes:
 * whatever is not after the position was returned already (or was added since, above it).
 *
 * @param createdAt the creation time
 * @param id        the id, which orders memories created in the same microsecond
 */
public record Keyset(Instant createdAt, String id) {
    /** Newest first, ties broken by id (descending), the order {@link #isAfter} follows. */
    public static final Comparator<Memory> NEWEST_FIRST = Comparator.comparing(Memory::createdAt)
            .thenComparing(Memory::id).reversed();

    /** Requires both parts. */
    public Keyset {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(id, "id");
    }

    /**
     * @param m a memory
     * @return its position
     */
    public static Keyset of(Memory m) {
        return new Keyset(m.createdAt(), m.id());
    }

    /**
     * @param createdAt a creation time
     * @param id        an id
     * @return whether that memory comes after this position in newest-first order
     */
    public boolean isAfter(Instant createdAt, String id) {
        int c = createdAt.compareTo(this.createdAt);
        return c < 0 || (c == 0 && id.compareTo(this.id) < 0);
    }

    /**
     * @param m a memory
     * @return whether it comes after this position in newest-first order
     */
    public boolean isAfter(Memory m) {
        return isAfter(m.createdAt(), m.id());
    }

    /**
     * @return the position for a cursor: the time as microseconds since the epoch (a number, not a
     *     formatted time: cheaper to write and to read back)
     */
    public Map<String, Object> toMap() {
        return Map.of("t", ChronoUnit.MICROS.between(Instant.EPOCH, createdAt), "id", id);
    }

    /**
     * @param m what {@link #toMap} gave (an RFC 3339 string as the time is read too)
     * @return the position
     * @throws InvalidRequestException when it is not one
     */
    public static Keyset from(Map<String, Object> m) {
        try {
            Object t = m.get("t");
            Instant at = t instanceof Number n ? Instant.EPOCH.plus(n.longValue(), ChronoUnit.MICROS)
                    : Timestamps.parse((String) t);
            return new Keyset(at, (String) m.get("id"));
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor: malformed position");
        }
    }

    /**
     * @param q          a list query
     * @param readScopes the caller's read grants (null: unrestricted)
     * @return what a list cursor is bound to: the query without its cursor and limit, and the grants
     */
    public static String fingerprint(ListQuery q, List<ScopePattern> readScopes) {
        return String.join("\u0001", q.userId(), String.valueOf(q.scope()), String.valueOf(q.tag()),
                String.valueOf(q.since()), String.valueOf(q.until()), String.valueOf(readScopes));
    }
}
