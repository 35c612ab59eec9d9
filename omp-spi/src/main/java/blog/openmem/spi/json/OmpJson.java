package blog.openmem.spi.json;

import blog.openmem.spi.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The project's JSON configuration and the one place where JSON problems become
 * {@code 400 invalid_request} messages naming the field (CONTRACT §3, D-8).
 */
public final class OmpJson {
    /**
     * Deeper than the reader's nesting limit (1 000, Jackson's default), so that whatever a request
     * was allowed to store can always be written back inside a page or a result list.
     */
    static final int MAX_WRITE_DEPTH = 2_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                            .maxNestingDepth(MAX_WRITE_DEPTH).build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Wrong JSON types are errors, never silently converted ("content": 5 is not "5").
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, c -> c
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                    .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                            com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
            .build();

    private static final com.fasterxml.jackson.databind.ObjectReader READER = MAPPER.reader();

    private OmpJson() {
    }

    /**
     * A copy of the configured mapper, for callers that need to configure Jackson further. Copying
     * rebuilds Jackson's caches: take it once, never per call ({@link #reader()} is the cheap way).
     *
     * @return a copy of the configured mapper
     */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    /**
     * @return the shared reader of the configured mapper: immutable, thread-safe and backed by the
     *     mapper's deserializer caches, so it costs nothing per call; raw Jackson exceptions
     */
    public static com.fasterxml.jackson.databind.ObjectReader reader() {
        return READER;
    }

    /**
     * @param value any model value
     * @return its JSON text
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param value any model value
     * @return its JSON as UTF-8 bytes
     */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param value a model value
     * @return its JSON tree
     */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Reads a request or response body.
     *
     * @param json the JSON text
     * @param type the target type
     * @param <T>  the type
     * @return the value
     * @throws InvalidRequestException naming the field for malformed JSON or wrong types
     */
    public static <T> T read(String json, Class<T> type) {
        return read(json, MAPPER.constructType(type));
    }

    /**
     * @param json the JSON bytes (UTF-8)
     * @param type the target type
     * @param <T>  the type
     * @return the value
     * @throws InvalidRequestException naming the field for malformed JSON or wrong types
     */
    public static <T> T read(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidRequestException("body: must be a JSON object");
        }
        try {
            T v = MAPPER.readValue(json, type);
            if (v == null) {
                throw new InvalidRequestException("body: must be a JSON object, not null");
            }
            return v;
        } catch (IOException e) {
            throw toInvalid(e);
        }
    }

    /**
     * @param json the JSON text
     * @param type a generic target type
     * @param <T>  the type
     * @return the value
     */
    public static <T> T read(String json, TypeReference<T> type) {
        return read(json, MAPPER.constructType(type));
    }

    private static <T> T read(String json, JavaType type) {
        if (json == null || json.isBlank()) {
            throw new InvalidRequestException("body: must be a JSON object");
        }
        try {
            T v = MAPPER.readValue(json, type);
            if (v == null) {
                throw new InvalidRequestException("body: must be a JSON object, not null");
            }
            return v;
        } catch (IOException e) {
            throw toInvalid(e);
        }
    }

    /**
     * Converts a tree into a type with the same error mapping as {@link #read(String, Class)}.
     *
     * @param node the tree
     * @param type the type
     * @param <T>  the type
     * @return the value
     */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw toInvalid(e);
        } catch (IllegalArgumentException e) {
            throw toInvalid(e.getCause() instanceof IOException io ? io : new UncheckedIOException(
                    new IOException(e.getMessage())));
        }
    }

    /**
     * Maps a Jackson failure to a 400 whose message names the field.
     *
     * @param e the failure
     * @return the exception to throw
     */
    public static InvalidRequestException toInvalid(Exception e) {
        if (e instanceof JsonMappingException m) {
            String field = path(m);
            return new InvalidRequestException(field + ": " + reason(m));
        }
        if (e instanceof InputCoercionException c) {
            String name = currentName(c.getProcessor());
            return new InvalidRequestException((name == null ? "body" : name) + ": number out of range");
        }
        if (e instanceof StreamReadException r) {
            var loc = r.getLocation();
            return new InvalidRequestException("body: malformed JSON"
                    + (loc != null ? " at line " + loc.getLineNr() + ", column " + loc.getColumnNr() : ""));
        }
        return new InvalidRequestException("body: malformed JSON");
    }

    private static String currentName(Object processor) {
        if (processor instanceof JsonParser p) {
            try {
                return p.currentName();
            } catch (Exception ignored) {
                return null;
            }
        }
        return null;
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    private static String reason(JsonMappingException m) {
        if (m instanceof ValueInstantiationException && m.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        if (m instanceof InvalidFormatException f && f.getTargetType() == Instant.class) {
            return "must be an RFC 3339 timestamp with an offset, e.g. 2026-01-31T12:00:00Z";
        }
        if (m instanceof MismatchedInputException mi) {
            Class<?> t = mi.getTargetType();
            if (t == null) {
                String msg = mi.getOriginalMessage();
                return msg == null ? "has the wrong type" : msg;
            }
            if (t == String.class) {
                return "must be a string";
            }
            if (t == Instant.class) {
                return "must be an RFC 3339 timestamp with an offset, e.g. 2026-01-31T12:00:00Z";
            }
            if (Number.class.isAssignableFrom(t) || t == int.class || t == long.class || t == double.class
                    || t == float.class) {
                return "must be a number";
            }
            if (t == boolean.class || t == Boolean.class) {
                return "must be true or false";
            }
            if (Collection.class.isAssignableFrom(t) || t.isArray()) {
                return "must be an array";
            }
            if (t.isEnum()) {
                return "has an unknown value";
            }
            if (Map.class.isAssignableFrom(t) || t.isRecord() || !t.isPrimitive()) {
                return "must be a JSON object";
            }
        }
        if (m.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) {
            return iae.getMessage();
        }
        return "has the wrong type";
    }
}
