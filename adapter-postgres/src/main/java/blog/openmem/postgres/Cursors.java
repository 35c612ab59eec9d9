package blog.openmem.postgres;

import blog.openmem.spi.error.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-safe keyset cursors: the position ({@code created_at}, {@code id}) and a
 * fingerprint of the query, signed with HMAC-SHA256 under a key kept in the database, so cursors
 * survive restarts and work across server instances. A forged, truncated or foreign cursor is a
 * 400 naming {@code cursor}; it never reaches SQL.
 */
final class Cursors {
    private final byte[] key;

    /** A keyset position. */
    record Position(Instant createdAt, String id) {
    }

    Cursors(byte[] key) {
        this.key = key.clone();
    }

    String encode(Position p, String queryFingerprint) {
        byte[] id = p.id().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + 4 + 2 + id.length + 16);
        buf.putLong(p.createdAt().getEpochSecond()).putInt(p.createdAt().getNano()).putShort((short) id.length).put(id);
        byte[] body = Arrays.copyOf(buf.array(), buf.position());
        buf.put(mac(body, queryFingerprint), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    Position decode(String cursor, String queryFingerprint) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(cursor);
            if (raw.length < 8 + 4 + 2 + 1 + 16) {
                throw invalid();
            }
            ByteBuffer buf = ByteBuffer.wrap(raw);
            long secs = buf.getLong();
            int nanos = buf.getInt();
            int idLen = buf.getShort() & 0xFFFF;
            if (raw.length != 14 + idLen + 16) {
                throw invalid();
            }
            byte[] body = Arrays.copyOf(raw, 14 + idLen);
            byte[] tag = Arrays.copyOfRange(raw, 14 + idLen, raw.length);
            if (!MessageDigest.isEqual(tag, Arrays.copyOf(mac(body, queryFingerprint), 16))) {
                throw new InvalidRequestException("cursor: not issued for this query (forged, altered or from another"
                        + " query)");
            }
            String id = new String(body, 14, idLen, StandardCharsets.UTF_8);
            return new Position(Instant.ofEpochSecond(secs, nanos), id);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("cursor: malformed");
    }

    private byte[] mac(byte[] body, String fingerprint) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(fingerprint.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
