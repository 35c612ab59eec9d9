package blog.openmem.spi.model;

import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code add} takes (CONTRACT §2.2). Only {@code content} and {@code userId} are required;
 * validation (blank fields, lengths, ranges) happens in the client before any I/O.
 *
 * @param content    the text to remember
 * @param userId     the owner
 * @param scope      slash-delimited namespace, or null
 * @param tags       labels, or null
 * @param source     provenance, or null
 * @param confidence 0..1, or null
 * @param validFrom  current from, or null
 * @param validTo    current until, or null
 * @param supersedes ids this memory replaces, or null
 * @param extensions {@code x-} fields, stored and returned unchanged; other unknown fields are dropped
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"content", "user_id", "scope", "tags", "source", "confidence", "valid_from", "valid_to", "supersedes"})
public record MemoryInput(
        String content,
        String userId,
        String scope,
        List<String> tags,
        MemorySource source,
        Double confidence,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant validFrom,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant validTo,
        List<String> supersedes,
        @JsonAnySetter @JsonAnyGetter
        Map<String, Object> extensions) {

    /** Copies collections; keeps only {@code x-} keys in {@code extensions} (CONTRACT §2.1). */
    public MemoryInput {
        tags = Extensions.list(tags);
        supersedes = Extensions.list(supersedes);
        extensions = Extensions.onlyX(extensions);
    }

    /**
     * The shortest way to build an input.
     *
     * @param userId  the owner
     * @param content the text
     * @return an input with only the required fields
     */
    public static MemoryInput of(String userId, String content) {
        return builder(userId, content).build();
    }

    /**
     * @param userId  the owner
     * @param content the text
     * @return a builder with the required fields set
     */
    public static Builder builder(String userId, String content) {
        return new Builder().userId(userId).content(content);
    }

    /** @return a builder holding this input's values */
    public Builder toBuilder() {
        return new Builder().content(content).userId(userId).scope(scope).tags(tags).source(source)
                .confidence(confidence).validFrom(validFrom).validTo(validTo).supersedes(supersedes)
                .extensions(extensions);
    }

    /** Mutable builder for {@link MemoryInput}. */
    public static final class Builder {
        private String content;
        private String userId;
        private String scope;
        private List<String> tags;
        private MemorySource source;
        private Double confidence;
        private Instant validFrom;
        private Instant validTo;
        private List<String> supersedes;
        private final Map<String, Object> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param v text @return this */
        public Builder content(String v) { this.content = v; return this; }
        /** @param v owner @return this */
        public Builder userId(String v) { this.userId = v; return this; }
        /** @param v scope @return this */
        public Builder scope(String v) { this.scope = v; return this; }
        /** @param v tags @return this */
        public Builder tags(List<String> v) { this.tags = v; return this; }
        /** @param v tags @return this */
        public Builder tags(String... v) { this.tags = List.of(v); return this; }
        /** @param v source @return this */
        public Builder source(MemorySource v) { this.source = v; return this; }
        /** @param v confidence 0..1 @return this */
        public Builder confidence(Double v) { this.confidence = v; return this; }
        /** @param v valid-from @return this */
        public Builder validFrom(Instant v) { this.validFrom = v; return this; }
        /** @param v valid-to @return this */
        public Builder validTo(Instant v) { this.validTo = v; return this; }
        /** @param v superseded ids @return this */
        public Builder supersedes(List<String> v) { this.supersedes = v; return this; }
        /** @param v superseded ids @return this */
        public Builder supersedes(String... v) { this.supersedes = List.of(v); return this; }

        /**
         * @param key   an extension key; must start with {@code x-}
         * @param value any JSON-able value
         * @return this
         * @throws IllegalArgumentException when the key does not start with {@code x-}
         */
        public Builder extension(String key, Object value) {
            if (key == null || !key.startsWith("x-")) {
                throw new IllegalArgumentException("extension keys must start with 'x-': " + key);
            }
            extensions.put(key, value);
            return this;
        }

        /** @param v extension fields (non-{@code x-} keys are dropped) @return this */
        public Builder extensions(Map<String, Object> v) {
            extensions.clear();
            if (v != null) {
                extensions.putAll(v);
            }
            return this;
        }

        /** @return the input */
        public MemoryInput build() {
            return new MemoryInput(content, userId, scope, tags, source, confidence, validFrom, validTo, supersedes,
                    extensions);
        }
    }
}
