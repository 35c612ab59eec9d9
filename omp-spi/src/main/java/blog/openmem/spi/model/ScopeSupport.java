package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a provider supports scopes ({@code features.scopes}, CONTRACT §7). */
public enum ScopeSupport {
    /** The backend stores and filters scopes itself. */
    NATIVE,
    /** Emulated through vendor metadata or tags. */
    TAGS,
    /** Scopes are not supported. */
    NONE;

    /** @return the wire name */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a wire name
     * @return the value
     * @throws IllegalArgumentException for an unknown value
     */
    @JsonCreator
    public static ScopeSupport fromWire(String wire) {
        for (ScopeSupport s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be one of native, tags, none");
    }
}
