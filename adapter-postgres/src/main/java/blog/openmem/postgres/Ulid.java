package blog.openmem.postgres;

import java.security.SecureRandom;

/** Monotonic ULIDs (time-ordered, 26 Crockford base-32 characters) for {@code mem_<ULID>} ids. */
final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long randHi;
    private static long randLo;

    private Ulid() {
    }

    /** @return a new id, greater than every id this JVM made before */
    static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            randHi = RANDOM.nextLong() & 0xFFFFL;
            randLo = RANDOM.nextLong();
        } else {
            // Same millisecond (or clock went back): increment the 80-bit random part.
            randLo++;
            if (randLo == 0) {
                randHi = (randHi + 1) & 0xFFFFL;
            }
        }
        char[] out = new char[26];
        long t = lastMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (t & 31)];
            t >>>= 5;
        }
        // 80 random bits = 16 high bits + 64 low bits, written as 16 characters of 5 bits.
        long lo = randLo;
        long hi = randHi;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}
