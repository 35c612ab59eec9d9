package blog.openmem.postgres;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.embed.EmbedderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test embedder whose vectors carry no meaning at all: only keyword search can find anything. */
public class NoiseEmbedderFactory implements EmbedderFactory {
    @Override
    public String id() {
        return "noise-test";
    }

    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return new Embedder() {
            @Override
            public String modelName() {
                return "noise-test-32";
            }

            @Override
            public int dimension() {
                return 32;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                List<float[]> out = new ArrayList<>();
                for (String t : texts) {
                    Random r = new Random(t.hashCode() * 31L + 7);
                    float[] v = new float[32];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) r.nextGaussian();
                    }
                    out.add(v);
                }
                return out;
            }
        };
    }
}
