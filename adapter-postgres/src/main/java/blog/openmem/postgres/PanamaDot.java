package blog.openmem.postgres;

import java.util.function.ToDoubleBiFunction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products on the JDK's vector API (incubating in Java 17): two lanes-wide fused
 * multiply-add accumulators. Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (see {@link Vectors#dot}); 3.8x the scalar loop on
 * 384 dimensions in cache, 2x from memory, on this project's 2-core machine.
 */
final class PanamaDot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** The implementation {@link Vectors} picks up. */
    static final ToDoubleBiFunction<float[], float[]> DOT = PanamaDot::dot;

    private PanamaDot() {
    }

    static double dot(float[] a, float[] b) {
        int step = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (int n = a.length - 2 * step; i <= n; i += 2 * step) {
            s0 = FloatVector.fromArray(SPECIES, a, i).fma(FloatVector.fromArray(SPECIES, b, i), s0);
            s1 = FloatVector.fromArray(SPECIES, a, i + step).fma(FloatVector.fromArray(SPECIES, b, i + step), s1);
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
