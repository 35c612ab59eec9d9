package blog.openmem.spi.model;

import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A partial update (CONTRACT §2.2, D-10). Each nullable field is a {@link Patch}: absent leaves
 * it, an explicit null clears it. {@code content} cannot be cleared ({@code content: null} is
 * 400); {@code supersedes} is appended to the existing list. {@code user_id}, {@code source},
 * {@code valid_from} and {@code id} cannot be changed and are ignored if sent.
 *
 * @param content    new text (cannot be cleared)
 * @param scope      new scope or clear
 * @param tags       new tags or clear
 * @param confidence new confidence or clear
 * @param validTo    new end of validity or clear
 * @param supersedes ids to append to {@code supersedes}, or null for none
 */
@JsonSerialize(using = MemoryUpdate.Serializer.class)
@JsonDeserialize(using = MemoryUpdate.Deserializer.class)
public record MemoryUpdate(
        Patch<String> content,
        Patch<String> scope,
        Patch<List<String>> tags,
        Patch<Double> confidence,
        Patch<Instant> validTo,
        List<String> supersedes) {

    /** Null patches mean unchanged; lists are copied. */
    public MemoryUpdate {
        content = orUnchanged(content);
        scope = orUnchanged(scope);
        tags = orUnchanged(tags).map(List::copyOf);
        confidence = orUnchanged(confidence);
        validTo = orUnchanged(validTo);
        supersedes = supersedes == null ? null : List.copyOf(supersedes);
    }

    private static <T> Patch<T> orUnchanged(Patch<T> p) {
        return p == null ? Patch.unchanged() : p;
    }

    /** @return a builder for an update that changes nothing until told */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when the update changes nothing */
    public boolean isEmpty() {
        return content.isUnchanged() && scope.isUnchanged() && tags.isUnchanged() && confidence.isUnchanged()
                && validTo.isUnchanged() && (supersedes == null || supersedes.isEmpty());
    }

    /**
     * Applies the update to a memory: the single place where D-10 semantics live, for providers
     * that merge in application code.
     *
     * @param current   the stored memory
     * @param updatedAt the update time
     * @return the memory after the update
     */
    public Memory applyTo(Memory current, Instant updatedAt) {
        List<String> mergedSupersedes = current.supersedes();
        if (supersedes != null && !supersedes.isEmpty()) {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            if (current.supersedes() != null) {
                all.addAll(current.supersedes());
            }
            all.addAll(supersedes);
            if (all.size() > Validation.MAX_SUPERSEDES) {
                throw new blog.openmem.spi.error.InvalidRequestException("supersedes: a memory may supersede at most "
                        + Validation.MAX_SUPERSEDES + " memories; this update would make it " + all.size());
            }
            mergedSupersedes = List.copyOf(all);
        }
        return current.toBuilder()
                .content(content.applyTo(current.content()))
                .scope(scope.applyTo(current.scope()))
                .tags(tags.applyTo(current.tags()))
                .confidence(confidence.applyTo(current.confidence()))
                .validTo(validTo.applyTo(current.validTo()))
                .supersedes(mergedSupersedes)
                .updatedAt(updatedAt)
                .build();
    }

    /** Builder for {@link MemoryUpdate}. */
    public static final class Builder {
        private Patch<String> content = Patch.unchanged();
        private Patch<String> scope = Patch.unchanged();
        private Patch<List<String>> tags = Patch.unchanged();
        private Patch<Double> confidence = Patch.unchanged();
        private Patch<Instant> validTo = Patch.unchanged();
        private List<String> supersedes;

        private Builder() {
        }

        /** @param v new text @return this */
        public Builder content(String v) { this.content = Patch.set(v); return this; }
        /** @param v new scope; null clears it @return this */
        public Builder scope(String v) { this.scope = Patch.set(v); return this; }
        /** @return this, clearing the scope */
        public Builder clearScope() { this.scope = Patch.clear(); return this; }
        /** @param v new tags; null clears them @return this */
        public Builder tags(List<String> v) { this.tags = Patch.set(v); return this; }
        /** @return this, clearing the tags */
        public Builder clearTags() { this.tags = Patch.clear(); return this; }
        /** @param v new confidence; null clears it @return this */
        public Builder confidence(Double v) { this.confidence = Patch.set(v); return this; }
        /** @return this, clearing the confidence */
        public Builder clearConfidence() { this.confidence = Patch.clear(); return this; }
        /** @param v new end of validity; null clears it @return this */
        public Builder validTo(Instant v) { this.validTo = Patch.set(v); return this; }
        /** @return this, clearing the end of validity */
        public Builder clearValidTo() { this.validTo = Patch.clear(); return this; }
        /** @param v ids to append to supersedes @return this */
        public Builder supersedes(List<String> v) { this.supersedes = v; return this; }
        /** @param v raw content patch (lets callers express an explicit null) @return this */
        public Builder contentPatch(Patch<String> v) { this.content = v; return this; }

        /** @return the update */
        public MemoryUpdate build() {
            return new MemoryUpdate(content, scope, tags, confidence, validTo, supersedes);
        }
    }

    /** Writes only the fields the update touches; cleared ones as JSON null. */
    public static final class Serializer extends JsonSerializer<MemoryUpdate> {
        @Override
        public void serialize(MemoryUpdate u, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            writePatch(g, p, "content", u.content);
            writePatch(g, p, "scope", u.scope);
            writePatch(g, p, "tags", u.tags);
            writePatch(g, p, "confidence", u.confidence);
            writePatch(g, p, "valid_to", u.validTo.map(Timestamps::format));
            if (u.supersedes != null) {
                g.writeFieldName("supersedes");
                p.defaultSerializeValue(u.supersedes, g);
            }
            g.writeEndObject();
        }

        private static void writePatch(JsonGenerator g, SerializerProvider p, String name, Patch<?> patch)
                throws IOException {
            if (patch.isUnchanged()) {
                return;
            }
            g.writeFieldName(name);
            if (patch.isClear()) {
                g.writeNull();
            } else {
                p.defaultSerializeValue(patch.value(), g);
            }
        }
    }

    /** Reads absent / null / value per field; wrong types become mapping errors naming the field. */
    public static final class Deserializer extends JsonDeserializer<MemoryUpdate> {
        private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

        @Override
        public MemoryUpdate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (node == null || !node.isObject()) {
                throw MismatchedInputException.from(p, MemoryUpdate.class, "expected a JSON object");
            }
            Builder b = builder();
            b.content = patch(p, node, "content", n -> text(p, n, "content"));
            b.scope = patch(p, node, "scope", n -> text(p, n, "scope"));
            b.tags = patch(p, node, "tags", n -> strings(p, ctxt, n, "tags"));
            b.confidence = patch(p, node, "confidence", n -> {
                if (!n.isNumber()) {
                    throw mismatch(p, "confidence", "must be a number");
                }
                return n.doubleValue();
            });
            b.validTo = patch(p, node, "valid_to", n -> {
                String t = text(p, n, "valid_to");
                try {
                    return Timestamps.parse(t);
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.wrapWithPath(
                            InvalidFormatException.from(p, e.getMessage(), t, Instant.class), MemoryUpdate.class,
                            "valid_to");
                }
            });
            JsonNode sup = node.get("supersedes");
            if (sup != null && !sup.isNull()) {
                b.supersedes = strings(p, ctxt, sup, "supersedes");
            }
            return b.build();
        }

        private interface Reader<T> {
            T read(JsonNode n) throws IOException;
        }

        private static <T> Patch<T> patch(JsonParser p, JsonNode obj, String name, Reader<T> reader)
                throws IOException {
            if (!obj.has(name)) {
                return Patch.unchanged();
            }
            JsonNode n = obj.get(name);
            return n.isNull() ? Patch.clear() : Patch.set(Objects.requireNonNull(reader.read(n)));
        }

        private static String text(JsonParser p, JsonNode n, String field) throws JsonMappingException {
            if (!n.isTextual()) {
                throw mismatch(p, field, "must be a string");
            }
            return n.textValue();
        }

        private static List<String> strings(JsonParser p, DeserializationContext c, JsonNode n, String field)
                throws JsonMappingException {
            if (!n.isArray()) {
                throw mismatch(p, field, "must be an array of strings");
            }
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw mismatch(p, field, "must be an array of strings");
                }
            }
            try {
                return c.readTreeAsValue(n, c.getTypeFactory().constructType(STRINGS));
            } catch (IOException e) {
                throw mismatch(p, field, "must be an array of strings");
            }
        }

        private static JsonMappingException mismatch(JsonParser p, String field, String message) {
            return JsonMappingException.wrapWithPath(MismatchedInputException.from(p, (Class<?>) null, message),
                    MemoryUpdate.class, field);
        }
    }
}
