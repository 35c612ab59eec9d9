package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Provider limits (CONTRACT §7).
 *
 * @param rateLimitPerMinute requests a minute the provider accepts, or null if unknown
 * @param maxSearchResults   the largest search {@code limit}, or null (then 100)
 * @param extra              limits this version does not know, kept for round trips
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Limits(Integer rateLimitPerMinute, Integer maxSearchResults,
                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
    /** The default search result cap of CONTRACT §3. */
    public static final int DEFAULT_MAX_SEARCH_RESULTS = 100;

    /** Copies the map. */
    public Limits {
        extra = Extensions.copy(extra);
    }

    /** @return the effective max search results */
    public int effectiveMaxSearchResults() {
        return maxSearchResults == null ? DEFAULT_MAX_SEARCH_RESULTS : maxSearchResults;
    }
}
