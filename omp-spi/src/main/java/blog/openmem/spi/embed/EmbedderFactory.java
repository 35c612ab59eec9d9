package blog.openmem.spi.embed;

import blog.openmem.spi.ProviderConfig;
import java.util.Set;

/**
 * Creates an {@link Embedder}; registered in
 * {@code META-INF/services/blog.openmem.spi.embed.EmbedderFactory}.
 */
public interface EmbedderFactory {

    /** @return the id selecting it with the setting {@code embedder}, e.g. {@code hash} */
    String id();

    /**
     * @return the rank used to choose the default embedder when none is configured: the highest
     *     wins; a negative value means "only when asked for by id"
     */
    default int priority() {
        return 0;
    }

    /** @return secret setting keys (map or environment only, redacted) */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * @param config settings of this embedder ({@code omp.<id>.<key>}, {@code OMP_<ID>_<KEY>})
     * @return the embedder
     */
    Embedder create(ProviderConfig config);
}
