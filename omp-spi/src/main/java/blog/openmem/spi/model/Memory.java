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
import java.util.List;
import java.util.Map;

/**
 * A stored memory as every read returns it (CONTRACT §2).
 *
 * <p>Optional fields are null when absent and omitted from JSON. {@code extensions} holds the
 * {@code x-} extension fields and any field this version does not know, so a response survives
 * re-serialisation unchanged.
 *
 * @param id             provider-assigned, opaque, stable id
 * @param content        the remembered text
 * @param userId         the owner
 * @param createdAt      when the provider created it (UTC)
 * @param scope          slash-delimited namespace, or null for an unscoped memory
 * @param tags           free labels, or null
 * @param source         where it came from, or null
 * @param confidence     0..1, or null
 * @param validFrom      current from then, or null (immediately)
 * @param validTo        not current from then, or null (open-ended)
 * @param supersedes     ids of memories this one replaces, or null
 * @param embeddingModel the model that embedded it, or null
 * @param updatedAt      last update, or null
 * @param status         ingestion state, or null
 * @param extensions     {@code x-} fields and unknown fields (never null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"id", "content", "user_id", "scope", "tags", "source", "confidence", "valid_from", "valid_to",
    "supersedes", "embedding_model", "status", "created_at", "updated_at"})
public record Memory(
        String id,
        String content,
        String userId,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant createdAt,
        String scope,
        List<String> tags,
        MemorySource source,
        Double confidence,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant validFrom,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant validTo,
        List<String> supersedes,
        String embeddingModel,
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant updatedAt,
        MemoryStatus status,
        @JsonAnySetter @JsonAnyGetter
        Map<String, Object> extensions) {

    /** Copies lists and maps so the record is immutable. */
    public Memory {
        tags = Extensions.list(tags);
        supersedes = Extensions.list(supersedes);
        extensions = Extensions.copy(extensions);
    }

    /** @return a builder holding this memory's values */
    public Builder toBuilder() {
        return new Builder().id(id).content(content).userId(userId).createdAt(createdAt).scope(scope).tags(tags)
                .source(source).confidence(confidence).validFrom(validFrom).validTo(validTo).supersedes(supersedes)
                .embeddingModel(embeddingModel).updatedAt(updatedAt).status(status).extensions(extensions);
    }

    /** @return an empty builder, for providers assembling a memory */
    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder for {@link Memory}. */
    public static final class Builder {
        private String id;
        private String content;
        private String userId;
        private Instant createdAt;
        private String scope;
        private List<String> tags;
        private MemorySource source;
        private Double confidence;
        private Instant validFrom;
        private Instant validTo;
        private List<String> supersedes;
        private String embeddingModel;
        private Instant updatedAt;
        private MemoryStatus status;
        private Map<String, Object> extensions;

        private Builder() {
        }

        /** @param v id @return this */
        public Builder id(String v) { this.id = v; return this; }
        /** @param v content @return this */
        public Builder content(String v) { this.content = v; return this; }
        /** @param v owner @return this */
        public Builder userId(String v) { this.userId = v; return this; }
        /** @param v creation time @return this */
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        /** @param v scope or null @return this */
        public Builder scope(String v) { this.scope = v; return this; }
        /** @param v tags or null @return this */
        public Builder tags(List<String> v) { this.tags = v; return this; }
        /** @param v source or null @return this */
        public Builder source(MemorySource v) { this.source = v; return this; }
        /** @param v confidence or null @return this */
        public Builder confidence(Double v) { this.confidence = v; return this; }
        /** @param v valid-from or null @return this */
        public Builder validFrom(Instant v) { this.validFrom = v; return this; }
        /** @param v valid-to or null @return this */
        public Builder validTo(Instant v) { this.validTo = v; return this; }
        /** @param v superseded ids or null @return this */
        public Builder supersedes(List<String> v) { this.supersedes = v; return this; }
        /** @param v embedding model or null @return this */
        public Builder embeddingModel(String v) { this.embeddingModel = v; return this; }
        /** @param v update time or null @return this */
        public Builder updatedAt(Instant v) { this.updatedAt = v; return this; }
        /** @param v status or null @return this */
        public Builder status(MemoryStatus v) { this.status = v; return this; }
        /** @param v extension fields @return this */
        public Builder extensions(Map<String, Object> v) { this.extensions = v; return this; }

        /** @return the memory */
        public Memory build() {
            return new Memory(id, content, userId, createdAt, scope, tags, source, confidence, validFrom, validTo,
                    supersedes, embeddingModel, updatedAt, status, extensions);
        }
    }
}
