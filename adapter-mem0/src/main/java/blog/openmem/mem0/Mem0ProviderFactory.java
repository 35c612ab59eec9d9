package blog.openmem.mem0;

import blog.openmem.core.http.ErrorClassifier;
import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.IngestionPoller;
import blog.openmem.core.vendor.VendorCursor;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mem0} provider: the hosted platform by default ({@code mem0}, key from
 * {@code MEM0_API_KEY} or {@code OMP_MEM0_API_KEY}), or a self-hosted Mem0 REST server
 * ({@code mem0-oss://host:8888}, or {@code api=oss} with {@code base_url}). Settings: {@code api},
 * {@code base_url}, {@code infer} (default false: the text is stored as written), {@code
 * wait_for_ingestion}, {@code ingestion_timeout}, {@code page_size}, {@code max_pages},
 * {@code max_completion_time}, and every shared HTTP setting ({@link HttpSettings#from}).
 */
public final class Mem0ProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "mem0";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("mem0-oss");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public Map<String, String> environmentAliases() {
        return Map.of("api_key", "MEM0_API_KEY");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        Mem0Settings s = Mem0Settings.from(config);
        HttpSettings.Builder b = HttpSettings.from(config, s.baseUrl());
        Optional<String> key = config.secret("api_key");
        if (s.platform()) {
            b.credential("Authorization", "Token " + key.orElseThrow(() -> new ConfigurationException(
                    "mem0: no API key; set MEM0_API_KEY (or OMP_MEM0_API_KEY)", ErrorDetails.provider("mem0"))));
        } else {
            key.ifPresent(k -> b.credential("X-API-Key", k));
        }
        ResilientHttpClient http = ResilientHttpClient.builder(b.build()).errors(Mem0ProviderFactory::classify).build();
        Mem0Api api = s.platform() ? new PlatformApi(http) : new OssApi(http);
        return new Mem0Provider(api, http, s, VendorCursor.forProvider("mem0", key.orElse(null)),
                IngestionPoller.of("mem0", s.ingestionTimeout()));
    }

    /** Mem0 answers some missing memories with 400 and a "not found" message (the self-hosted core's ValueError). */
    private static Optional<blog.openmem.spi.error.OmpException> classify(int status, java.net.http.HttpHeaders headers,
                                                                        byte[] body,
                                                                        blog.openmem.spi.error.OmpException standard) {
        if (status == 400 && new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("not found")) {
            return Optional.of(new NotFoundException(standard.getMessage(), ErrorDetails.provider("mem0")));
        }
        return Optional.empty();
    }
}
