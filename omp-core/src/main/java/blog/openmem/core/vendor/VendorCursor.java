package blog.openmem.core.vendor;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident cursors over a vendor's paging (page numbers, {@code after} ids, a
 * position inside a page): the position as base64url JSON, bound to its query by a hash of the
 * query's fingerprint, and signed with HMAC-SHA256. A forged, altered or foreign cursor (another
 * query's, another provider's) is 400 {@code invalid_request}.
 *
 * <p>The key is derived from the provider id and a secret of its configuration (the vendor API
 * key), so every process with the same configuration accepts the others' cursors and a restart
 * does not break a client's paging; the key itself is never in a cursor.
 */
public final class VendorCursor {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    /** A keyed MAC per thread: looking one up and keying it cost more than the rest of a list call's work. */
    private final ThreadLocal<Mac> macs;

    private VendorCursor(byte[] key) {
        this.key = key;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
            }
        });
    }

    /**
     * @param provider the provider id
     * @param secret   a secret of the configuration (the API key); null for a process-local key
     *                 (cursors then do not survive a restart)
     * @return the codec
     */
    public static VendorCursor forProvider(String provider, String secret) {
        byte[] material = secret != null ? (provider + "\u0000" + secret).getBytes(StandardCharsets.UTF_8)
                : java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        return new VendorCursor(sha256(("omp-cursor\u0000").getBytes(StandardCharsets.UTF_8), material));
    }

    /**
     * @param fingerprint what the query is (user, filters): a cursor only continues its own query
     * @param position    where to continue (small JSON values)
     * @return the cursor
     */
    public String encode(String fingerprint, Map<String, Object> position) {
        String payload = B64.encodeToString(body(queryTag(fingerprint), position));
        return payload + "." + B64.encodeToString(mac(payload));
    }

    /**
     * {@code {"q": tag, "p": position}}, written as text: a list call makes one cursor per page, and
     * a JSON generator's set-up (buffers, a context per object) cost more than the few values.
     * Strings are quoted by Jackson's encoder; anything but a string, number, boolean or null by the
     * mapper.
     */
    private static byte[] body(String tag, Map<String, Object> position) {
        StringBuilder sb = new StringBuilder(128).append("{\"q\":");
        quote(sb, tag).append(",\"p\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : position.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey()).append(':');
            Object v = e.getValue();
            if (v instanceof String str) {
                quote(sb, str);
            } else if (v == null || v instanceof Integer || v instanceof Long || v instanceof Boolean) {
                sb.append(v);
            } else {
                sb.append(new String(OmpJson.writeBytes(v), StandardCharsets.UTF_8));
            }
        }
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"');
    }

    private static String queryTag(String fingerprint) {
        return B64.encodeToString(sha256(fingerprint.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    /**
     * @param cursor      a cursor from {@link #encode}
     * @param fingerprint the query it must belong to
     * @return its position
     * @throws InvalidRequestException for a malformed, forged or foreign cursor
     */
    public Map<String, Object> decode(String cursor, String fingerprint) {
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot == cursor.length() - 1) {
            throw invalid();
        }
        String payload = cursor.substring(0, dot);
        byte[] sig;
        try {
            sig = B64D.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!MessageDigest.isEqual(sig, mac(payload))) {
            throw invalid();
        }
        Map<String, Object> body;
        try {
            body = OmpJson.read(new String(B64D.decode(payload), StandardCharsets.UTF_8),
                    new TypeReference<Map<String, Object>>() { });
        } catch (RuntimeException e) {
            throw invalid();
        }
        if (!queryTag(fingerprint).equals(body.get("q")) || !(body.get("p") instanceof Map<?, ?> p)) {
            throw new InvalidRequestException("cursor: belongs to another query");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> position = (Map<String, Object>) p;
        return position;
    }

    private byte[] mac(String payload) {
        return macs.get().doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    });

    private static byte[] sha256(byte[]... parts) {
        MessageDigest d = SHA256.get();
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("cursor: malformed or not issued by this provider");
    }

    @Override
    public String toString() {
        return "VendorCursor[HMAC-SHA256]";
    }
}
