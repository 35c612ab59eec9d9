package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One ranked hit of {@code search}.
 *
 * @param memory the memory
 * @param score  relevance in [0,1], higher is better
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SearchResult(Memory memory, double score) {
}
