package blog.openmem.spi.model;

import java.util.Objects;

/**
 * The outcome of an add with an idempotency key.
 *
 * @param memory  the memory
 * @param created true when this call created it, false when an earlier call with the same key and
 *                user had
 */
public record AddOutcome(Memory memory, boolean created) {
    /** Requires a memory. */
    public AddOutcome {
        Objects.requireNonNull(memory, "memory");
    }
}
