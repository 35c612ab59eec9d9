package blog.openmem.supermemory;

import blog.openmem.spi.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;

/**
 * OMP user ids to Supermemory namespaces (v5) / container tags (v4), which allow only
 * {@code [a-zA-Z0-9_:-]}, 1 to 100 characters. ASCII letters, digits, {@code _} and {@code -}
 * stand for themselves; every other byte of the id's UTF-8 form becomes {@code :} and two
 * lower-case hex digits ({@code :} itself is {@code :3a}). The mapping needs no state (any process
 * finds a user's namespace again) and is injective: {@code :} only ever starts an escape, so the
 * namespace decodes back to exactly one user id. A user id whose namespace would be longer than 100
 * characters is refused (400 naming {@code user_id}) rather than shortened, since no shortening can
 * keep two users apart.
 */
final class Namespaces {
    /** The longest namespace Supermemory accepts. */
    static final int MAX = 100;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Namespaces() {
    }

    /**
     * @param userId an OMP user id
     * @return its namespace
     * @throws InvalidRequestException when the namespace would exceed {@value #MAX} characters
     */
    static String of(String userId) {
        if (userId.length() <= MAX && plain(userId)) {
            return userId; // nothing to escape: the namespace is the id itself, as the loop below would build it
        }
        StringBuilder out = new StringBuilder(userId.length());
        for (byte b : userId.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append(':').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        if (out.length() > MAX) {
            throw new InvalidRequestException("user_id: too long for a Supermemory namespace (" + out.length()
                    + " characters once encoded, at most " + MAX + "; each character outside [A-Za-z0-9_-] takes"
                    + " three per UTF-8 byte)");
        }
        return out.toString();
    }

    /** @return whether every character stands for itself (ASCII letters, digits, {@code _}, {@code -}) */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param s a string
     * @return whether Supermemory accepts it as a namespace
     */
    static boolean valid(String s) {
        if (s.isEmpty() || s.length() > MAX) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == ':')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param namespace a namespace made by {@link #of}
     * @return the user id it stands for
     */
    static String userId(String namespace) {
        byte[] out = new byte[namespace.length()];
        int n = 0;
        for (int i = 0; i < namespace.length(); i++) {
            char c = namespace.charAt(i);
            if (c == ':') {
                out[n++] = (byte) Integer.parseInt(namespace.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
