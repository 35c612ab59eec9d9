package blog.openmem.supermemory;

import java.util.Optional;
import java.util.UUID;

/**
 * The adapter's memory ids, {@code mem_<key>.<namespace>}: the key names the document (v5: the id
 * is the document's caller id; v4: the key is Supermemory's own document id), the namespace (or
 * container tag) is the owner's ({@link Namespaces}), so that a read by id alone finds the document
 * and an id of another user is refused without a call.
 */
final class MemoryIds {
    /** The longest key. */
    private static final int MAX_KEY = 64;

    private MemoryIds() {
    }

    /**
     * @param s a string
     * @return whether it is a key: 1 to 64 letters and digits (v5: 32 hex digits; v4: Supermemory's
     *         22-character id)
     */
    static boolean key(String s) {
        return key(s, 0, s.length());
    }

    private static boolean key(String s, int from, int to) {
        if (to <= from || to - from > MAX_KEY) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** @return a new key, 32 hex digits */
    static String newKey() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * @param id     an OMP id
     * @param userId the caller's user, or null for any
     * @return the namespace the id names, when it is one of this adapter's and belongs to the user
     */
    static Optional<String> namespace(String id, String userId) {
        int dot = id.indexOf('.');
        if (!id.startsWith("mem_") || dot < 0 || !key(id, 4, dot)) {
            return Optional.empty();
        }
        String ns = id.substring(dot + 1);
        if (!Namespaces.valid(ns) || userId != null && !ns.equals(Namespaces.of(userId))) {
            return Optional.empty();
        }
        return Optional.of(ns);
    }
}
