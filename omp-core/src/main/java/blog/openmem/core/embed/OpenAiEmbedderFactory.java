package blog.openmem.core.embed;

import blog.openmem.core.http.Sleeper;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.embed.EmbedderFactory;
import blog.openmem.spi.error.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Factory of {@link OpenAiEmbedder}, id {@code openai}. Settings ({@code omp.openai.<key>} or
 * {@code OMP_OPENAI_<KEY>}): {@code base_url} (default {@code https://api.openai.com/v1}),
 * {@code model} (default {@code text-embedding-3-small}), {@code dimensions}, {@code batch_size}
 * (default 128), {@code max_retries} (default 3), {@code timeout} (default 30s); secret
 * {@code api_key} (environment {@code OMP_OPENAI_API_KEY} or the settings map only).
 */
public final class OpenAiEmbedderFactory implements EmbedderFactory {
    @Override
    public String id() {
        return "openai";
    }

    /** Never chosen by default: it needs a network endpoint and usually a key. */
    @Override
    public int priority() {
        return -1;
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public Embedder create(ProviderConfig config) {
        return create(config, Sleeper.SYSTEM, Clock.systemUTC());
    }

    static OpenAiEmbedder create(ProviderConfig config, Sleeper sleeper, Clock clock) {
        int batch = config.getInt("batch_size", 128);
        int retries = config.getInt("max_retries", 3);
        if (batch < 1 || batch > 2048) {
            throw new ConfigurationException("openai.batch_size: must be between 1 and 2048");
        }
        if (retries < 0 || retries > 10) {
            throw new ConfigurationException("openai.max_retries: must be between 0 and 10");
        }
        String dims = config.get("dimensions").orElse(null);
        Integer dimensions = dims == null ? null : config.getInt("dimensions", 0);
        if (dimensions != null && dimensions < 1) {
            throw new ConfigurationException("openai.dimensions: must be positive");
        }
        String baseUrl = config.get("base_url", "https://api.openai.com/v1");
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw new ConfigurationException("openai.base_url: must be an http(s) URL");
        }
        var settings = new OpenAiEmbedder.Settings(baseUrl, config.get("model", "text-embedding-3-small"),
                dimensions, batch, retries, config.getDuration("timeout", Duration.ofSeconds(30)));
        return new OpenAiEmbedder(settings, config.secret("api_key").orElse(null), sleeper, clock);
    }
}
