package blog.openmem.mem0;

import blog.openmem.core.vendor.Completion;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import java.time.Duration;
import java.util.Locale;

/**
 * The adapter's own settings (the HTTP ones are {@code HttpSettings}'s).
 *
 * @param platform          true for the hosted platform API, false for the self-hosted server
 * @param baseUrl           the API's base URL
 * @param infer             let Mem0 extract facts with its model (asynchronous on the platform)
 * @param waitForIngestion  make an inferring add return only once the memory is stored
 * @param ingestionTimeout  how long to wait for ingestion
 * @param pageSize          items per vendor list page (1..200)
 * @param bounds            how far a list or search reads to complete a filtered answer
 */
record Mem0Settings(boolean platform, String baseUrl, boolean infer, boolean waitForIngestion,
                    Duration ingestionTimeout, int pageSize, Completion.Bounds bounds) {
    /** The hosted platform. */
    static final String PLATFORM_URL = "https://api.mem0.ai";

    static Mem0Settings from(ProviderConfig c) {
        String api = c.get("api", c.target().isPresent() ? "oss" : "platform").toLowerCase(Locale.ROOT);
        if (!api.equals("platform") && !api.equals("oss")) {
            throw new ConfigurationException("mem0: api must be platform or oss, was '" + api + "'");
        }
        boolean platform = api.equals("platform");
        String base = c.target().map(Mem0Settings::fromConfigString).orElseGet(() -> c.get("base_url",
                platform ? PLATFORM_URL : null));
        if (base == null) {
            throw new ConfigurationException("mem0: api=oss needs the server's address: base_url (OMP_MEM0_BASE_URL) or"
                    + " a config string like mem0-oss://localhost:8888");
        }
        int pageSize = c.getInt("page_size", 100);
        if (pageSize < 1 || pageSize > 200) {
            throw new ConfigurationException("mem0: page_size must be 1..200, was " + pageSize);
        }
        Duration timeout = c.getDuration("ingestion_timeout", Duration.ofSeconds(60));
        return new Mem0Settings(platform, base, c.getBoolean("infer", false), c.getBoolean("wait_for_ingestion", false),
                timeout, pageSize, new Completion.Bounds(c.getInt("max_pages", 20),
                c.getDuration("max_completion_time", Duration.ofSeconds(10))));
    }

    /** {@code mem0-oss://host:8888} is the self-hosted server at {@code http://host:8888}. */
    private static String fromConfigString(String target) {
        int sep = target.indexOf("://");
        return "http://" + target.substring(sep + 3);
    }
}
