package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The OMP verbs a provider can advertise in {@link Capabilities#verbs()} (CONTRACT §3). */
public enum Verb {
    /** Create a memory. */
    ADD,
    /** Read one memory by id. */
    GET,
    /** Partially update a memory. */
    UPDATE,
    /** Hard-delete a memory. */
    DELETE,
    /** Page through a user's memories, newest first. */
    LIST,
    /** Ranked retrieval for a query. */
    SEARCH,
    /** A prompt-ready block of ranked memories within a token budget. */
    CONTEXT,
    /** The access log of a user's memories. */
    AUDIT;

    /** @return the wire name, e.g. {@code "add"} */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @param wire the wire name, e.g. {@code "search"}
     * @return the verb
     * @throws IllegalArgumentException when the name is not a verb
     */
    @JsonCreator
    public static Verb fromWire(String wire) {
        for (Verb v : values()) {
            if (v.wireName().equals(wire)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verb '" + wire + "'");
    }
}
