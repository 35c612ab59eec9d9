package blog.openmem.supermemory;

import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.OmpFields;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Supermemory documents to OMP memories, and OMP fields to document metadata. */
final class SupermemoryDocuments {
    /**
     * The adapter's own metadata key beside the codec's: the content's length in UTF-16 units, so
     * that a search hit whose chunk is that long is known to be the whole text without reading the
     * document.
     */
    static final String CONTENT_CHARS = "omp_content_chars";

    private SupermemoryDocuments() {
    }

    /**
     * @param f       the OMP fields
     * @param content the text
     * @return the document metadata (flat values only, as v5's {@code MetadataMap} allows)
     */
    static ObjectNode metadata(OmpFields f, String content) {
        ObjectNode o = MetadataCodec.toJson(MetadataCodec.encode(f));
        o.put(CONTENT_CHARS, content.length());
        return o;
    }

    /**
     * @param doc a document, with its metadata
     * @return the OMP fields its metadata holds
     */
    static OmpFields fields(SupermemoryApi.Document doc) {
        return MetadataCodec.decode(doc.metadata());
    }

    /**
     * @param doc     a document (read by id, listed, or a search hit's)
     * @param content the text
     * @return the OMP memory
     */
    static Memory toOmp(SupermemoryApi.Document doc, String content) {
        Memory.Builder b = Memory.builder().id(doc.id()).content(content).createdAt(doc.createdAt())
                .status(status(doc.status()));
        fields(doc).applyTo(b).createdAt(doc.createdAt());
        if (doc.updatedAt() != null && doc.updatedAt().isAfter(doc.createdAt())) {
            b.updatedAt(doc.updatedAt());
        }
        return b.build();
    }

    /**
     * @param vendor a processing status
     * @return the OMP status: extracting to indexing are all {@code indexing}
     */
    static MemoryStatus status(String vendor) {
        return switch (vendor) {
            case "done" -> MemoryStatus.DONE;
            case "failed" -> MemoryStatus.FAILED;
            case "queued", "unknown" -> MemoryStatus.QUEUED;
            default -> MemoryStatus.INDEXING;
        };
    }

    /** @return the content length the document's metadata records, or -1 */
    static int contentChars(SupermemoryApi.Document doc) {
        Object n = doc.metadata().get(CONTENT_CHARS);
        return n instanceof Integer || n instanceof Long ? ((Number) n).intValue() : -1;
    }

    /** @return whether the metadata belongs to this user (the codec's user field) */
    static boolean owned(SupermemoryApi.Document doc, String userId) {
        return userId.equals(doc.metadata().get(MetadataCodec.USER));
    }

    /**
     * @param node  an object holding a time
     * @param field its name
     * @return the time
     * @throws ProviderException when it is not a timestamp (the answer cannot be trusted)
     */
    static Instant time(JsonNode node, String field) {
        try {
            return Timestamps.parse(node.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw new ProviderException("supermemory: a document's " + field + " is not a timestamp",
                    ErrorDetails.provider("supermemory"));
        }
    }
}
