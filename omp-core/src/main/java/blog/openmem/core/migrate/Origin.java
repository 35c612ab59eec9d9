package blog.openmem.core.migrate;

import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.Memory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a migrated memory came from, stored on it as the extension {@value #FIELD}:
 * {@code {"provider", "id", "created_at", "updated_at"?, "from"?}}. {@code from} keeps the origin the
 * memory already carried when it is moved again. A memory found on the target with the origin of a
 * source memory is that memory, already moved: this is what makes a migration idempotent.
 *
 * @param provider  the source's name (its provider id, or the name given to an import)
 * @param id        the memory's id at the source
 * @param createdAt its creation time at the source
 * @param updatedAt its last update at the source, or null
 * @param from      the origin it carried at the source, or null
 */
public record Origin(String provider, String id, Instant createdAt, Instant updatedAt, Object from) {
    /** The extension holding the origin. */
    public static final String FIELD = "x-omp-origin";

    /**
     * @param source the source's name
     * @param m      the memory as read from the source
     * @return its origin
     */
    static Origin of(String source, Memory m) {
        return new Origin(source, m.id(), m.createdAt(), m.updatedAt(), m.extensions().get(FIELD));
    }

    /** @return the extension's value */
    Map<String, Object> toValue() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("provider", provider);
        v.put("id", id);
        v.put("created_at", Timestamps.format(createdAt));
        if (updatedAt != null) {
            v.put("updated_at", Timestamps.format(updatedAt));
        }
        if (from != null) {
            v.put("from", from);
        }
        return v;
    }

    /**
     * @param m a memory on a target
     * @return the origin it carries, when it has a readable one
     */
    public static Optional<Origin> on(Memory m) {
        if (!(m.extensions().get(FIELD) instanceof Map<?, ?> v) || !(v.get("provider") instanceof String p)
                || !(v.get("id") instanceof String id)) {
            return Optional.empty();
        }
        return Optional.of(new Origin(p, id, time(v.get("created_at")), time(v.get("updated_at")), v.get("from")));
    }

    private static Instant time(Object v) {
        try {
            return v instanceof String s ? Timestamps.parse(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the key a target's memory is matched by */
    String key() {
        return provider + '\u0000' + id;
    }
}
