package blog.openmem.spi.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps: parsed with any offset, emitted in UTC with {@code Z} (CONTRACT §2).
 * Self-contained so the model does not need {@code jackson-datatype-jsr310}.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * Parses an RFC 3339 timestamp with an offset or {@code Z}.
     *
     * @param text the timestamp
     * @return the instant
     * @throws IllegalArgumentException when the text is not an RFC 3339 timestamp
     */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be an RFC 3339 timestamp");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an RFC 3339 timestamp with an offset, e.g. 2026-01-31T12:00:00Z");
        }
        // RFC 3339 has four-digit years; every backend (PostgreSQL included) stores this range.
        if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
            throw new IllegalArgumentException("must lie between years 0001 and 9999 (UTC)");
        }
        return instant;
    }

    /** The earliest instant accepted: 0001-01-01T00:00:00Z. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest instant accepted: 9999-12-31T23:59:59.999999999Z. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * @param instant an instant
     * @return its RFC 3339 form in UTC, ending in {@code Z}
     */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Jackson serializer writing {@link #format(Instant)}. */
    public static final class Serializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(format(value));
        }
    }

    /** Jackson deserializer accepting RFC 3339 strings; anything else is a mapping error naming the field. */
    public static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, Instant.class, e.getMessage());
            }
        }
    }
}
