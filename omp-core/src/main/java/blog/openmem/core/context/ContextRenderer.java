package blog.openmem.core.context;

import blog.openmem.spi.model.SearchResult;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lays out the memories chosen for a context block. The budget guarantee holds for every
 * renderer: the assembler measures the rendered text, not the parts.
 */
@FunctionalInterface
public interface ContextRenderer {

    /**
     * @param selected the memories, best first (never empty)
     * @return the block text
     */
    String render(List<SearchResult> selected);

    /**
     * The layout of CONTRACT D-13: one memory per line, {@code - <content> [<memory_id>]}.
     * Line breaks inside content become spaces so that each memory stays on one line.
     *
     * @return the default renderer
     */
    static ContextRenderer lines() {
        return selected -> selected.stream()
                .map(r -> "- " + r.memory().content().replaceAll("[\\r\\n]+", " ") + " [" + r.memory().id() + "]")
                .collect(Collectors.joining("\n"));
    }
}
