package blog.openmem.spi.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A memory brought over from another store: what to add, and when it was first created there.
 *
 * @param input     the memory to add (already validated)
 * @param createdAt its creation time where it came from; kept by providers that declare
 *                  {@link Features#KEEPS_CREATED_AT}, else the provider's own time is used
 */
public record ImportedMemory(MemoryInput input, Instant createdAt) {
    /** Requires the input and the time. */
    public ImportedMemory {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
