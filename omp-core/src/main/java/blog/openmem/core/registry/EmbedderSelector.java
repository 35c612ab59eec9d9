package blog.openmem.core.registry;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.embed.EmbedderFactory;
import blog.openmem.spi.error.ConfigurationException;
import java.util.Comparator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the embedder: the one named by the setting {@code embedder}, else the highest-priority
 * factory on the class path ({@code minilm} when present), else {@code hash} with a one-line
 * warning that search is lexical only.
 */
public final class EmbedderSelector {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedderSelector.class);

    private EmbedderSelector() {
    }

    /**
     * @param registry  where factories are found
     * @param resolver  settings source for the embedder's own keys
     * @param requested an explicit embedder id, or null for the best available
     * @param explicit  settings given in code for the embedder
     * @return the embedder
     */
    public static Embedder select(ProviderRegistry registry, ConfigResolver resolver, String requested,
                                  Map<String, String> explicit) {
        EmbedderFactory factory;
        if (requested != null && !requested.isBlank()) {
            factory = registry.embedders().find(requested);
        } else {
            factory = registry.embedders().all().stream()
                    .filter(f -> f.priority() >= 0)
                    .max(Comparator.comparingInt(EmbedderFactory::priority))
                    .orElseThrow(() -> new ConfigurationException("no embedder on the class path; add omp-core or "
                            + "blog.openmem:embedder-minilm"));
            if (factory.id().equals("hash")) {
                LOG.warn("omp: no semantic embedder on the class path, using 'hash': search is lexical"
                        + " only (add blog.openmem:embedder-minilm or set embedder=openai)");
            }
        }
        ConfigResolver.Resolved r = resolver.resolve(factory.id(), factory.secretKeys(), explicit);
        return factory.create(new ProviderConfig(factory.id(), null, r.settings(), r.secrets(), null));
    }
}
