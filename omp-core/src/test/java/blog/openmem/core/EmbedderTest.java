package blog.openmem.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.embed.HashEmbedder;
import blog.openmem.core.registry.ConfigResolver;
import blog.openmem.core.registry.EmbedderSelector;
import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.spi.embed.Embedder;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbedderTest {
    static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void hashEmbedderIsDeterministicNormalisedAndLexical() {
        HashEmbedder e = new HashEmbedder(384);
        assertEquals("omp-hash-v1-384", e.modelName());
        float[] a = e.embed("The user prefers pnpm over npm");
        assertEquals(384, a.length);
        assertArrayEquals(a, new HashEmbedder(384).embed("The user prefers pnpm over npm"));
        double norm = cos(a, a);
        assertEquals(1.0, norm, 1e-5);
        float[] q = e.embed("which package manager: pnpm?");
        float[] other = e.embed("Went hiking in the Alps last summer");
        assertTrue(cos(a, q) > cos(other, q) + 0.1, "lexical overlap gives similarity");
        assertTrue(cos(e.embed("Café Über"), e.embed("cafe uber")) > 0.99, "case and accents folded");
        float[] empty = e.embed("   ");
        assertEquals(0.0, cos(empty, empty), 1e-9, "no words, zero vector");
        assertEquals(3, e.embed(List.of("a", "b", "c")).size());
    }

    @Test
    void selectionFallsBackToHashAndHonoursExplicitIds() {
        ProviderRegistry reg = ProviderRegistry.load(getClass().getClassLoader());
        ConfigResolver r = new ConfigResolver(Map.of("OMP_HASH_DIMENSION", "64"), new Properties());
        Embedder byDefault = EmbedderSelector.select(reg, r, null, Map.of());
        assertInstanceOf(HashEmbedder.class, byDefault, "openai has a negative priority: never chosen silently");
        assertEquals(64, byDefault.dimension());
        Embedder open = EmbedderSelector.select(reg, r, "openai", Map.of("base_url", "http://127.0.0.1:9/v1",
                "api_key", "sk-test-secret", "dimensions", "8"));
        assertEquals("text-embedding-3-small@8", open.modelName());
        assertEquals(8, open.dimension());
        assertFalse(open.toString().contains("sk-test-secret"));
        assertThrows(blog.openmem.spi.error.ConfigurationException.class,
                () -> EmbedderSelector.select(reg, r, "openai", Map.of("base_url", "ftp://x")));
    }
}
