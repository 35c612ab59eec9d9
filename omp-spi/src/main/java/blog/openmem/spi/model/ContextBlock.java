package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A prompt-ready block of memories (CONTRACT §6).
 *
 * @param text       the rendered block, empty when nothing fits
 * @param citations  exactly the memories in {@code text}, in the same order
 * @param tokenCount the exact token count of {@code text}; never above the budget asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ContextBlock(String text, List<Citation> citations, int tokenCount) {
    /** Copies the citations; null becomes empty, a null text becomes empty. */
    public ContextBlock {
        text = text == null ? "" : text;
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    /** @return the block nothing fitted into */
    public static ContextBlock empty() {
        return new ContextBlock("", List.of(), 0);
    }
}
