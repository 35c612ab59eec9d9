package blog.openmem.mem0;

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
import java.util.LinkedHashMap;
import java.util.Map;

/** Mem0's memory objects to OMP memories and OMP fields to Mem0 metadata. */
final class Mem0Memories {

    /** The extension the adapter owns: Mem0's own data that OMP has no field for. */
    static final String EXTENSION = "x-mem0";

    private Mem0Memories() {
    }

    /**
     * @param f OMP fields (the adapter's own {@code x-mem0} is left out: it is Mem0's data, not the caller's)
     * @return the metadata to store
     */
    static ObjectNode metadata(OmpFields f) {
        Map<String, Object> ext = new LinkedHashMap<>(f.extensions());
        ext.remove(EXTENSION);
        OmpFields clean = new OmpFields(null, f.userId(), f.scope(), f.tags(), f.source(), f.confidence(), f.validFrom(),
                f.validTo(), f.supersedes(), null, ext);
        return MetadataCodec.toJson(MetadataCodec.encode(clean));
    }

    /**
     * @param m a Mem0 memory object
     * @return the OMP memory
     */
    static Memory toOmp(Mem0Memory m) {
        Map<String, Object> meta = m.metadata();
        OmpFields f = MetadataCodec.decode(meta);
        Instant created = time(m.createdAt(), "created_at");
        // Never updated: the same text as created_at, not parsed twice.
        Instant updated = m.updatedAt() != null && !m.updatedAt().equals(m.createdAt()) ? time(m.updatedAt(), "updated_at")
                : null;
        Map<String, Object> foreign = MetadataCodec.foreign(meta);
        Map<String, Object> ext = f.extensions();
        if (!foreign.isEmpty() || m.categories() != null) {
            Map<String, Object> vendor = new LinkedHashMap<>();
            if (!foreign.isEmpty()) {
                vendor.put("metadata", foreign);
            }
            if (m.categories() != null) {
                vendor.put("categories", m.categories());
            }
            ext = new LinkedHashMap<>(ext);
            ext.put(EXTENSION, vendor);
        }
        String user = m.userId() != null ? m.userId() : f.userId();
        Memory.Builder b = Memory.builder().id(m.id() == null ? "" : m.id()).content(m.memory() == null ? "" : m.memory())
                .createdAt(created).status(MemoryStatus.DONE);
        f.applyTo(b).userId(user).extensions(ext);
        if (updated != null && updated.isAfter(created)) {
            b.updatedAt(updated);
        }
        return b.build();
    }

    static Instant time(JsonNode m, String field) {
        return time(m.path(field).asText(), field);
    }

    private static Instant time(String value, String field) {
        try {
            return Timestamps.parse(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new ProviderException("mem0: a memory's " + field + " is not a timestamp",
                    ErrorDetails.provider("mem0"));
        }
    }
}
