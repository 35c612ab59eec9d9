package blog.openmem.postgres;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vector encodings: pgvector's text form, and float32 little-endian bytes for the exact mode. */
final class Vectors {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Vectors() {
    }

    /** @return {@code [x1,x2,...]}, the pgvector input form */
    static String toPgvector(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 10 + 2).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    /** @return the vector as hex of float32 little-endian, for {@code decode(x, 'hex')} */
    static String toHex(float[] v) {
        char[] out = new char[v.length * 8];
        int o = 0;
        for (float f : v) {
            int bits = Float.floatToRawIntBits(f);
            for (int b = 0; b < 4; b++) {
                int x = (bits >>> (8 * b)) & 0xFF;
                out[o++] = HEX[x >>> 4];
                out[o++] = HEX[x & 15];
            }
        }
        return new String(out);
    }

    /** @return the vector stored by {@link #toHex(float[])} */
    static float[] fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    /** @return cosine similarity, 0 when either vector is zero or lengths differ */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return 0;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
