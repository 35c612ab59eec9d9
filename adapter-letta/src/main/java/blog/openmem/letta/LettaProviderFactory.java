package blog.openmem.letta;

import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderUnavailableException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code letta} provider, on Letta's v1 archive API (Letta Cloud by default; key from
 * {@code LETTA_API_KEY} or {@code OMP_LETTA_API_KEY}). Settings: {@code base_url}, {@code project}
 * (Letta Cloud project, sent as {@code X-Project}), {@code embedding} (the handle new archives are
 * created with), {@code max_passage_chars}, and every shared HTTP setting ({@link HttpSettings#from}).
 */
public final class LettaProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "letta";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public Map<String, String> environmentAliases() {
        return Map.of("api_key", "LETTA_API_KEY");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        LettaSettings s = LettaSettings.from(config);
        String key = config.secret("api_key").orElseThrow(() -> new ConfigurationException(
                "letta: no API key; set LETTA_API_KEY (or OMP_LETTA_API_KEY)", ErrorDetails.provider("letta")));
        HttpSettings.Builder b = HttpSettings.from(config, s.baseUrl()).credential("Authorization", "Bearer " + key);
        if (s.project() != null) {
            b.credential("X-Project", s.project());
        }
        ResilientHttpClient http = ResilientHttpClient.builder(b.build()).errors(LettaProviderFactory::classify)
                .build();
        return new LettaProvider(new LettaApi(http), http, s);
    }

    /**
     * Letta's 409 "locked by another operation, retry shortly" is a busy backend: retried, then 503.
     * Every other status maps per CONTRACT §11 (its 422 is a request the adapter got wrong).
     */
    private static Optional<OmpException> classify(int status, HttpHeaders headers, byte[] body,
                                                   OmpException standard) {
        if (status == 409 && new String(body, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT)
                .contains("locked")) {
            return Optional.of(new ProviderUnavailableException("letta: the resource is locked by another operation ("
                    + standard.getMessage() + ")", ErrorDetails.provider("letta")));
        }
        return Optional.empty();
    }
}
