package blog.openmem.spi.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for the extension / unknown-field maps the records carry (CONTRACT §2.1). */
final class Extensions {
    private Extensions() {
    }

    /** An unmodifiable copy keeping insertion order; null becomes empty. */
    static Map<String, Object> copy(Map<String, Object> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }

    /** Only the {@code x-} keys: unknown non-{@code x-} fields of a request are ignored. */
    static Map<String, Object> onlyX(Map<String, Object> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k.startsWith("x-")) {
                out.put(k, v);
            }
        });
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }

    static <T> java.util.List<T> list(java.util.List<T> in) {
        return in == null ? null : java.util.List.copyOf(in);
    }
}
