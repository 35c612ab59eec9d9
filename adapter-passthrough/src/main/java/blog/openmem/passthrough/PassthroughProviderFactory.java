package blog.openmem.passthrough;

import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.model.Capabilities;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code passthrough} provider (alias {@code omp}): selected by any {@code http(s)://} config
 * string, or by id with the setting {@code base_url} ({@code OMP_PASSTHROUGH_BASE_URL}). Creation
 * probes {@code GET /capabilities} within {@code probe_timeout} (default 3 s): an answer with
 * {@code omp_version} makes the remote's capabilities this provider's; anything else is a
 * {@link ConfigurationException} naming the URL and what came back. Secret: {@code api_key}
 * ({@code OMP_PASSTHROUGH_API_KEY}), sent as {@code Authorization: Bearer}. Every setting of
 * {@link HttpSettings#from} applies (timeouts, retries, circuit breaker, rate limit).
 */
public final class PassthroughProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "passthrough";
    }

    @Override
    public java.util.List<blog.openmem.spi.ServerFlag> serverFlags() {
        return java.util.List.of(new blog.openmem.spi.ServerFlag("base-url", "OMP_PASSTHROUGH_BASE_URL",
                blog.openmem.spi.ServerFlag.TARGET, "base URL of the OMP server behind passthrough"));
    }

    @Override
    public Set<String> aliases() {
        return Set.of("omp");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        String base = config.target().orElseGet(() -> config.get("base_url").orElseThrow(() ->
                new ConfigurationException("passthrough: no server URL; use a config string like "
                        + "'http://127.0.0.1:8080' or set OMP_PASSTHROUGH_BASE_URL")));
        HttpSettings.Builder b = HttpSettings.from(config, base);
        config.secret("api_key").ifPresent(k -> b.credential("Authorization", "Bearer " + k));
        HttpSettings settings = b.build();
        // The probe: the same settings, one short attempt.
        Duration probeTimeout = config.getDuration("probe_timeout", Duration.ofSeconds(3));
        HttpSettings probe = b.maxAttempts(1).deadline(probeTimeout).requestTimeout(probeTimeout)
                .connectTimeout(probeTimeout).build();
        Capabilities caps = PassthroughProvider.probe(ResilientHttpClient.create(probe));
        return new PassthroughProvider(ResilientHttpClient.create(settings), caps);
    }
}
