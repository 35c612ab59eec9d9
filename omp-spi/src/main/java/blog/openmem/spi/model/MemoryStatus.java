package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Ingestion state of a memory; synchronous providers always report {@link #DONE} (CONTRACT D-7). */
public enum MemoryStatus {
    /** Accepted, not yet processed. */
    QUEUED,
    /** Being processed. */
    INDEXING,
    /** Stored and searchable. */
    DONE,
    /** Ingestion failed at the provider. */
    FAILED;

    /** @return the wire name */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a wire name
     * @return the status
     * @throws IllegalArgumentException for an unknown status
     */
    @JsonCreator
    public static MemoryStatus fromWire(String wire) {
        // A switch, not a scan of values(): this runs for every memory read off the wire.
        MemoryStatus s = wire == null ? null : switch (wire) {
            case "queued" -> QUEUED;
            case "indexing" -> INDEXING;
            case "done" -> DONE;
            case "failed" -> FAILED;
            default -> null;
        };
        if (s == null || !s.wireName().equals(wire)) {
            throw new IllegalArgumentException("must be one of queued, indexing, done, failed");
        }
        return s;
    }
}
