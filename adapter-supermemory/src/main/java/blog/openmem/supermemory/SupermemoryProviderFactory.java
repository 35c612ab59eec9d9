package blog.openmem.supermemory;

import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.IngestionPoller;
import blog.openmem.core.vendor.StillProcessingException;
import blog.openmem.core.vendor.VendorCursor;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code supermemory} provider, on Supermemory's v5 API or its legacy v3/v4 API (key from
 * {@code SUPERMEMORY_API_KEY} or {@code OMP_SUPERMEMORY_API_KEY}). Settings: {@code base_url},
 * {@code api_version} ({@code v5}, the default, or {@code v4}),
 * {@code task_type} ({@code superrag}, the default: the text kept as written; or {@code memory}),
 * {@code wait_for_ingestion}, {@code ingestion_timeout}, {@code page_size}, {@code max_pages},
 * {@code max_completion_time}, and every shared HTTP setting ({@link HttpSettings#from}).
 */
public final class SupermemoryProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "supermemory";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public Map<String, String> environmentAliases() {
        return Map.of("api_key", "SUPERMEMORY_API_KEY");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        SupermemorySettings s = SupermemorySettings.from(config);
        String key = config.secret("api_key").orElseThrow(() -> new ConfigurationException(
                "supermemory: no API key; set SUPERMEMORY_API_KEY (or OMP_SUPERMEMORY_API_KEY)",
                ErrorDetails.provider("supermemory")));
        HttpSettings.Builder b = HttpSettings.from(config, s.baseUrl()).credential("Authorization", "Bearer " + key);
        ResilientHttpClient http = ResilientHttpClient.builder(b.build())
                .errors(SupermemoryProviderFactory::classify).build();
        SupermemoryApi api = s.apiVersion().equals("v4") ? new V4Api(http) : new V5Api(http);
        return new SupermemoryProvider(api, http, s, VendorCursor.forProvider("supermemory", key),
                IngestionPoller.of("supermemory", s.ingestionTimeout()));
    }

    /**
     * Supermemory's statuses that CONTRACT §11 does not map by number alone: 402 (quota or credits
     * exhausted) is the account's state, not the request's nor the caller's credentials: a provider
     * error that no retry mends; 409 on a document means it is still processing, which the provider
     * waits out within {@code ingestion_timeout} (not the HTTP client's retries).
     */
    private static Optional<OmpException> classify(int status, HttpHeaders headers, byte[] body, OmpException standard) {
        if (status == 402) {
            return Optional.of(ProviderException.notRetryable("supermemory: the account's quota or credits are"
                    + " exhausted (" + standard.getMessage() + ")", ErrorDetails.provider("supermemory")));
        }
        if (status == 409) {
            return Optional.of(new StillProcessingException("supermemory: the document is still processing ("
                    + standard.getMessage() + ")", ErrorDetails.provider("supermemory")));
        }
        return Optional.empty();
    }
}
