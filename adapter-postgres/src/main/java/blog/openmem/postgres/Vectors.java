package blog.openmem.postgres;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.ToDoubleBiFunction;

/** Vector encodings: pgvector's text form, and float32 little-endian bytes for the exact mode. */
final class Vectors {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** {@link PanamaDot}'s dot product when the vector API module is present, else null ({@link #scalarDot}). */
    private static final ToDoubleBiFunction<float[], float[]> PANAMA = panama();

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

    /** @return the vector from pgvector's binary form ({@code vector_send}: dimension, unused, big-endian floats) */
    static float[] fromPgvectorBinary(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        float[] v = new float[buf.getShort() & 0xFFFF];
        buf.getShort();
        for (int i = 0; i < v.length; i++) {
            v[i] = buf.getFloat();
        }
        return v;
    }

    /**
     * @return the dot product of two vectors of the same length: most of an in-process search's
     *         time, so it runs on the JDK's vector API when the JVM was started with
     *         {@code --add-modules jdk.incubator.vector} (as {@code scripts/serve.sh} does)
     */
    static double dot(float[] a, float[] b) {
        return PANAMA != null ? PANAMA.applyAsDouble(a, b) : scalarDot(a, b);
    }

    /** @return whether dot products run on the vector API */
    static boolean vectorApi() {
        return PANAMA != null;
    }

    private static ToDoubleBiFunction<float[], float[]> panama() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                @SuppressWarnings("unchecked")
                ToDoubleBiFunction<float[], float[]> panama = (ToDoubleBiFunction<float[], float[]>) Class
                        .forName("blog.openmem.postgres.PanamaDot").getDeclaredField("DOT").get(null);
                return panama;
            } catch (ReflectiveOperationException | LinkageError e) {
                // Another JDK's incubating API may differ: the scalar loop is always right.
            }
        }
        return null;
    }

    /**
     * @return the dot product, in eight float running sums (as pgvector sums in float): no loop-long
     *         dependency chain, and no float-to-double conversion per element
     */
    static double scalarDot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (int n = a.length & ~7; i < n; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
    }

    /** @return the Euclidean norm */
    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    /**
     * @param a     a vector
     * @param aNorm its {@link #norm}, computed once by the caller (a query is compared with many rows)
     * @param b     another vector
     * @param bNorm its norm
     * @return cosine similarity, 0 when either vector is zero or lengths differ
     */
    static double cosine(float[] a, double aNorm, float[] b, double bNorm) {
        return a.length != b.length || aNorm == 0 || bNorm == 0 ? 0 : dot(a, b) / (aNorm * bNorm);
    }
}
