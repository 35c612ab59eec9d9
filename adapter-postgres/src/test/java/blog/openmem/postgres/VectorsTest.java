package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both dot products agree; the tests' JVM (like the server's) runs the vector API one. */
class VectorsTest {
    @Test
    void theVectorApiDotAgreesWithTheScalarLoop() {
        assertTrue(Vectors.vectorApi(), "surefire runs with --add-modules jdk.incubator.vector");
        Random rnd = new Random(7);
        // Lengths below, at and between multiples of the lanes; real embeddings are 384 or 1 536.
        for (int n : new int[] {0, 1, 7, 8, 15, 16, 17, 31, 33, 384, 1000, 1536}) {
            float[] a = new float[n];
            float[] b = new float[n];
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) rnd.nextGaussian();
                magnitude += Math.abs(a[i] * b[i]);
            }
            assertEquals(Vectors.scalarDot(a, b), Vectors.dot(a, b), 1e-5 * Math.max(1, magnitude), "length " + n);
            assertEquals(Vectors.scalarDot(a, a), Vectors.dot(a, a), 1e-5 * Math.max(1, Vectors.scalarDot(a, a)));
        }
        assertEquals(0.0, Vectors.cosine(new float[] {1, 0}, 1, new float[] {0, 1}, 1));
        assertEquals(1.0, Vectors.cosine(new float[] {3, 4}, 5, new float[] {6, 8}, 10), 1e-9);
    }
}
