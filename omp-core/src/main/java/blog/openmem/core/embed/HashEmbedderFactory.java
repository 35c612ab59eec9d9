package blog.openmem.core.embed;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.embed.EmbedderFactory;

/** Factory of {@link HashEmbedder}, id {@code hash}; setting {@code dimension} (default 384). */
public final class HashEmbedderFactory implements EmbedderFactory {
    @Override
    public String id() {
        return "hash";
    }

    /** The fallback: any semantic embedder on the class path ranks higher. */
    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return new HashEmbedder(config.getInt("dimension", HashEmbedder.DEFAULT_DIMENSION));
    }
}
