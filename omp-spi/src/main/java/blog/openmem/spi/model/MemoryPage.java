package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One page of {@code list} (CONTRACT §2.2).
 *
 * @param items      memories, newest first
 * @param nextCursor opaque cursor of the next page, or null on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemoryPage(List<Memory> items, String nextCursor) {
    /** Copies the items; null becomes empty. */
    public MemoryPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** @return true when there is another page */
    public boolean hasMore() {
        return nextCursor != null;
    }
}
