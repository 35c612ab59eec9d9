package blog.openmem.spi.embed;

import java.util.List;

/**
 * Turns texts into vectors. Implementations are thread-safe; vectors of one embedder always
 * have {@link #dimension()} components. Rows record {@link #modelName()} so vectors of different
 * models are never compared (CONTRACT §5).
 */
public interface Embedder extends AutoCloseable {

    /** @return the model name stored as {@code embedding_model}, unique per model and dimension */
    String modelName();

    /** @return the vector length */
    int dimension();

    /**
     * @param texts texts to embed
     * @return one vector per text, in order
     */
    List<float[]> embed(List<String> texts);

    /**
     * @param text a text
     * @return its vector
     */
    default float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
