package blog.openmem.core.embed;

import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
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
 * (default 128), and the shared HTTP settings of every provider ({@link HttpSettings#from}) with
 * embedding defaults: {@code request_timeout} and {@code connect_timeout} 30s, {@code max_attempts} 4,
 * {@code backoff_base} 500ms, {@code backoff_max} 20s; {@code timeout} and {@code max_retries} (the
 * attempts after the first) are still read as the older names of the first and third. Secret
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
        if (batch < 1 || batch > 2048) {
            throw new ConfigurationException("openai.batch_size: must be between 1 and 2048");
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
        Duration timeout = config.getDuration("timeout", Duration.ofSeconds(30));
        int retries = config.getInt("max_retries", 3);
        if (retries < 0 || retries > 10) {
            throw new ConfigurationException("openai.max_retries: must be between 0 and 10");
        }
        // Embedding defaults (a batch of texts can take seconds; a rate-limited endpoint asks for
        // long waits), then whatever the shared setting names say.
        java.util.Map<String, String> merged = new java.util.HashMap<>(java.util.Map.of(
                "request_timeout", timeout.toMillis() + "ms",
                "connect_timeout", timeout.toMillis() + "ms",
                "max_attempts", String.valueOf(retries + 1),
                "backoff_base", "500ms",
                "backoff_max", "20s",
                "deadline", Math.max(60_000, timeout.toMillis() * (retries + 2) + 20_000L * retries) + "ms"));
        merged.putAll(config.settings());
        HttpSettings settings = HttpSettings.from(new ProviderConfig(config.id(), null, merged, java.util.Map.of(), null),
                        baseUrl)
                .credential("Authorization", config.secret("api_key").map(k -> "Bearer " + k).orElse(null))
                .build();
        ResilientHttpClient http = ResilientHttpClient.builder(settings).sleeper(sleeper).clock(clock).build();
        return new OpenAiEmbedder(http, config.get("model", "text-embedding-3-small"), dimensions, batch);
    }
}
