package blog.openmem.supermemory;

import blog.openmem.core.vendor.Completion;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;
import java.time.Duration;
import java.util.Locale;

/**
 * The adapter's own settings (the HTTP ones are {@code HttpSettings}'s).
 *
 * @param baseUrl          the API's base URL
 * @param apiVersion       {@code v5} (the current API) or {@code v4} (the legacy container-tag API:
 *                         {@code /v3/documents} and {@code /v4/search})
 * @param taskType         {@code superrag} (the text kept as written, searched by chunk) or
 *                         {@code memory} (Supermemory extracts memories with its model)
 * @param waitForIngestion make add and update return only once the document is processed
 * @param ingestionTimeout how long to wait for processing
 * @param pageSize         documents per vendor list page (1..100)
 * @param bounds           how far a list or search reads to complete a filtered answer
 */
record SupermemorySettings(String baseUrl, String apiVersion, String taskType, boolean waitForIngestion,
                           Duration ingestionTimeout, int pageSize, Completion.Bounds bounds) {
    /** The hosted API. */
    static final String URL = "https://api.supermemory.ai";

    static SupermemorySettings from(ProviderConfig c) {
        String version = c.get("api_version", "v5").toLowerCase(Locale.ROOT);
        if (!version.equals("v5") && !version.equals("v4")) {
            throw new ConfigurationException("supermemory: api_version must be v5 or v4 (the legacy container-tag"
                    + " API), was '" + version + "'");
        }
        String task = c.get("task_type", "superrag").toLowerCase(Locale.ROOT);
        if (!task.equals("superrag") && !task.equals("memory")) {
            throw new ConfigurationException("supermemory: task_type must be superrag or memory, was '" + task + "'");
        }
        int pageSize = c.getInt("page_size", 50);
        if (pageSize < 1 || pageSize > 100) {
            throw new ConfigurationException("supermemory: page_size must be 1..100, was " + pageSize);
        }
        return new SupermemorySettings(c.get("base_url", URL), version, task,
                c.getBoolean("wait_for_ingestion", false), c.getDuration("ingestion_timeout", Duration.ofSeconds(60)),
                pageSize,
                new Completion.Bounds(c.getInt("max_pages", 20), c.getDuration("max_completion_time",
                        Duration.ofSeconds(10))));
    }
}
