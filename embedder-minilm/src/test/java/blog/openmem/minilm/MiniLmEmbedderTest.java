package blog.openmem.minilm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.registry.ConfigResolver;
import blog.openmem.core.registry.EmbedderSelector;
import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.spi.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The model's contract: size, determinism, meaning, batching, threads, and how it is selected. */
class MiniLmEmbedderTest {
    final Embedder e = new MiniLmEmbedder();

    static double cos(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void vectorsHave384NormalisedDimensions() {
        float[] v = e.embed("I like green tea in the morning");
        assertEquals(384, v.length);
        assertEquals(384, e.dimension());
        assertEquals("all-minilm-l6-v2-q", e.modelName());
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertEquals(1.0, norm, 1e-4);
    }

    @Test
    void theSameTextGivesTheSameVectorAloneOrInABatch() {
        float[] alone = e.embed("My sister lives in Lisbon");
        List<float[]> batch = e.embed(List.of("something else entirely", "My sister lives in Lisbon", ""));
        assertEquals(3, batch.size());
        assertArrayEquals(alone, e.embed("My sister lives in Lisbon"));
        assertEquals(1.0, cos(alone, batch.get(1)), 1e-5, "batching does not change a vector");
    }

    /** Paraphrases score above every unrelated pair of a small fixed set. */
    @Test
    void paraphrasesAreCloserThanUnrelatedPairs() {
        String[][] paraphrases = {
            {"I am allergic to peanuts", "Peanuts give me an allergic reaction"},
            {"My dog is called Rex", "Rex is the name of my dog"},
            {"She moved to Berlin last year", "Last year she relocated to Berlin"},
            {"The meeting was moved to Friday", "We rescheduled the meeting for Friday"},
            {"He plays the guitar in a band", "He is a guitarist in a band"},
        };
        double worstParaphrase = 1;
        for (String[] p : paraphrases) {
            worstParaphrase = Math.min(worstParaphrase, cos(e.embed(p[0]), e.embed(p[1])));
        }
        double bestUnrelated = -1;
        for (int i = 0; i < paraphrases.length; i++) {
            for (int j = 0; j < paraphrases.length; j++) {
                if (i != j) {
                    bestUnrelated = Math.max(bestUnrelated, cos(e.embed(paraphrases[i][0]), e.embed(paraphrases[j][1])));
                }
            }
        }
        assertTrue(worstParaphrase > bestUnrelated + 0.1,
                "paraphrase min " + worstParaphrase + " vs unrelated max " + bestUnrelated);
    }

    @Test
    void isThreadSafe() throws Exception {
        String[] texts = {"coffee with oat milk", "a trip to Japan in spring", "the kids' school starts at 8"};
        List<float[]> expected = e.embed(List.of(texts));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<float[]>>> fs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                fs.add(pool.submit(() -> e.embed(List.of(texts))));
            }
            for (Future<List<float[]>> f : fs) {
                List<float[]> got = f.get();
                for (int k = 0; k < texts.length; k++) {
                    assertArrayEquals(expected.get(k), got.get(k));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void minilmIsTheDefaultWhenOnTheClassPathAndHashStaysSelectable() {
        ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader());
        ConfigResolver resolver = new ConfigResolver(Map.of(), new Properties());
        assertInstanceOf(MiniLmEmbedder.class, EmbedderSelector.select(registry, resolver, null, Map.of()));
        assertEquals("omp-hash-v1-384", EmbedderSelector.select(registry, resolver, "hash", Map.of()).modelName());
        assertInstanceOf(MiniLmEmbedder.class, EmbedderSelector.select(registry, resolver, "minilm", Map.of()));
    }

    @Test
    void theFactoryOutranksHash() {
        assertEquals(MiniLmEmbedder.MODEL_NAME, new MiniLmEmbedderFactory().create(null).modelName());
        assertTrue(new MiniLmEmbedderFactory().priority() > new blog.openmem.core.embed.HashEmbedderFactory().priority());
    }
}
