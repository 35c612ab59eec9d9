package blog.openmem.minilm;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.embed.EmbedderFactory;

/**
 * Factory of {@link MiniLmEmbedder}, id {@code minilm}. It ranks above {@code hash}, so having
 * this jar on the class path makes search semantic by default.
 */
public final class MiniLmEmbedderFactory implements EmbedderFactory {
    @Override
    public String id() {
        return "minilm";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return new MiniLmEmbedder();
    }
}
