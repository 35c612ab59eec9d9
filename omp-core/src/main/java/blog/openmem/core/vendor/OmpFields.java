package blog.openmem.core.vendor;

import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemorySource;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The OMP fields a vendor has no column for, as carried in its metadata by {@link MetadataCodec}.
 *
 * @param id         the OMP id the adapter assigned (or null when the vendor's id is the OMP id)
 * @param userId     the owner, checked on every read
 * @param scope      the scope, or null
 * @param tags       the tags, or null
 * @param source     the source, or null
 * @param confidence the confidence, or null
 * @param validFrom  start of validity, or null
 * @param validTo    end of validity, or null
 * @param supersedes ids this memory replaces, or null
 * @param createdAt  the OMP creation time (kept when the vendor's own differs, e.g. after a migration)
 * @param extensions the {@code x-} fields
 */
public record OmpFields(String id, String userId, String scope, List<String> tags, MemorySource source,
                        Double confidence, Instant validFrom, Instant validTo, List<String> supersedes,
                        Instant createdAt, Map<String, Object> extensions) {
    /** Copies the collections. */
    public OmpFields {
        tags = tags == null ? null : List.copyOf(tags);
        supersedes = supersedes == null || supersedes.isEmpty() ? null : List.copyOf(supersedes);
        // Most memories carry no x- field: no copy for them (a page of memories decodes one per memory).
        extensions = extensions == null || extensions.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(extensions));
    }

    /**
     * @param in        an add request
     * @param id        the OMP id assigned, or null
     * @param createdAt the creation time
     * @return its fields
     */
    public static OmpFields of(MemoryInput in, String id, Instant createdAt) {
        return new OmpFields(id, in.userId(), in.scope(), in.tags(), in.source(), in.confidence(), in.validFrom(),
                in.validTo(), in.supersedes(), createdAt, in.extensions());
    }

    /**
     * @param m a memory (for example after an update was applied to it)
     * @return its fields
     */
    public static OmpFields of(Memory m) {
        return new OmpFields(m.id(), m.userId(), m.scope(), m.tags(), m.source(), m.confidence(), m.validFrom(),
                m.validTo(), m.supersedes(), m.createdAt(), m.extensions());
    }

    /**
     * @param b a memory builder holding the vendor's own fields (id, content, times)
     * @return the builder with these fields set over it (the creation time only when known)
     */
    public Memory.Builder applyTo(Memory.Builder b) {
        b.userId(userId).scope(scope).tags(tags).source(source).confidence(confidence).validFrom(validFrom)
                .validTo(validTo).supersedes(supersedes).extensions(extensions);
        if (createdAt != null) {
            b.createdAt(createdAt);
        }
        return b;
    }
}
