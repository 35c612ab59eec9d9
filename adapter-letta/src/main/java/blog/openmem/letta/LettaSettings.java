package blog.openmem.letta;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.ConfigurationException;

/**
 * The adapter's own settings (the HTTP ones are {@code HttpSettings}'s).
 *
 * @param baseUrl         the API's base URL
 * @param project         the Letta Cloud project (sent as {@code X-Project}), or null
 * @param embedding       the embedding handle new archives are created with, or null for Letta's default
 * @param maxPassageChars the longest passage written; a longer text is several passages of one memory
 */
record LettaSettings(String baseUrl, String project, String embedding, int maxPassageChars) {
    /** Letta Cloud. */
    static final String URL = "https://api.letta.com";

    static LettaSettings from(ProviderConfig c) {
        int max = c.getInt("max_passage_chars", 8000);
        if (max < 100) {
            throw new ConfigurationException("letta: max_passage_chars must be at least 100, was " + max);
        }
        return new LettaSettings(c.get("base_url", URL), c.get("project", null), c.get("embedding", null), max);
    }
}
