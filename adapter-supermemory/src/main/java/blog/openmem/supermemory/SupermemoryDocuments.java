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
     * @param doc a document, or a search hit's {@code included.document}, with its metadata
     * @return the OMP fields its metadata holds
     */
    static OmpFields fields(JsonNode doc) {
        return MetadataCodec.decode(MetadataCodec.plain(doc.get("metadata")));
    }

    /**
     * @param doc a document as a read by id gives it (with its content)
     * @return the OMP memory
     */
    static Memory toOmp(JsonNode doc) {
        return toOmp(doc, doc.path("content").asText(""));
    }

    /**
     * @param doc     a document (list item, get answer or a search hit's document)
     * @param content the text
     * @return the OMP memory
     */
    static Memory toOmp(JsonNode doc, String content) {
        OmpFields f = fields(doc);
        JsonNode system = doc.path("system");
        Instant created = createdAt(doc);
        Memory.Builder b = Memory.builder().id(doc.path("id").asText()).content(content).createdAt(created)
                .status(status(system.path("status").asText("done")));
        f.applyTo(b).createdAt(created);
        Instant updated = system.path("updatedAt").isTextual() ? time(system, "updatedAt") : null;
        if (updated != null && updated.isAfter(created)) {
            b.updatedAt(updated);
        }
        return b.build();
    }

    /**
     * @param vendor a v5 processing status
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
    static int contentChars(JsonNode doc) {
        JsonNode n = doc.path("metadata").path(CONTENT_CHARS);
        return n.isIntegralNumber() ? n.intValue() : -1;
    }

    /** @return whether the metadata belongs to this user (the codec's user field) */
    static boolean owned(JsonNode doc, String userId) {
        return userId.equals(doc.path("metadata").path(MetadataCodec.USER).asText(null));
    }

    /**
     * @param doc a document, list item or search hit's document
     * @return Supermemory's creation time of it (the order of every list)
     */
    static Instant createdAt(JsonNode doc) {
        return time(doc.path("system"), "createdAt");
    }

    private static Instant time(JsonNode system, String field) {
        try {
            return Timestamps.parse(system.path(field).asText());
        } catch (IllegalArgumentException e) {
            throw new ProviderException("supermemory: a document's " + field + " is not a timestamp",
                    ErrorDetails.provider("supermemory"));
        }
    }

}
