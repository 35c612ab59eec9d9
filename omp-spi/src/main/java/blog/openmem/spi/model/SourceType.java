package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a memory came to be known (CONTRACT §2). */
public enum SourceType {
    /** Inferred from a conversation or document. */
    EXTRACTED,
    /** The user said it. */
    EXPLICIT,
    /** Migrated from another system. */
    IMPORTED;

    /** @return the wire name */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a wire name
     * @return the matching type
     * @throws IllegalArgumentException for anything else (mapped to 400 naming {@code source.type})
     */
    @JsonCreator
    public static SourceType fromWire(String wire) {
        for (SourceType t : values()) {
            if (t.wireName().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("must be one of extracted, explicit, imported");
    }
}
