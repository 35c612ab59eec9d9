package blog.openmem.core.migrate;

import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.ScopeSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a target can hold of a source memory, from the target's capabilities: the input to write
 * and, per field, what is lost or only kept in {@code x-omp-origin}. The same answer in a dry run
 * and in a real one, so the dry run reports exactly what the run will do.
 */
final class TargetFit {
    private final Features features;

    TargetFit(Capabilities target) {
        this.features = target.features();
    }

    /**
     * The memory for the target, or why it cannot be written.
     *
     * @param item    what to write, or null when refused
     * @param losses  field → what happens to it, for the report
     * @param refusal why the memory cannot be written, or null
     */
    record Fitted(ImportedMemory item, Map<String, String> losses, String refusal) {
    }

    /**
     * @param m      the source memory
     * @param origin its origin
     * @param ids    source id → target id of the user's memories written so far
     * @param known  every id of the user's memories at the source
     * @return the fitted memory
     */
    Fitted fit(Memory m, Origin origin, Map<String, String> ids, java.util.Set<String> known) {
        Map<String, String> losses = new LinkedHashMap<>();
        int max = features.effectiveMaxContentLength();
        if (m.content().length() > max) {
            return new Fitted(null, losses, "content: " + m.content().length() + " characters, over the target's limit of "
                    + max);
        }
        if (!features.has(Features.KEEPS_CREATED_AT)) {
            losses.put("created_at", "the target sets its own creation time; the original is kept in "
                    + Origin.FIELD + ".created_at");
        }
        if (m.updatedAt() != null) {
            losses.put("updated_at", "not carried (a target sets it on its own updates); kept in " + Origin.FIELD
                    + ".updated_at");
        }
        String scope = m.scope();
        if (scope != null && features.effectiveScopes() == ScopeSupport.NONE) {
            losses.put("scope", "dropped: the target has no scopes");
            scope = null;
        }
        if ((m.validFrom() != null || m.validTo() != null) && !features.temporal()) {
            losses.put("valid_from/valid_to", "stored, but the target does not filter by validity");
        }
        List<String> supersedes = null;
        if (m.supersedes() != null && !m.supersedes().isEmpty()) {
            supersedes = new ArrayList<>();
            for (String s : m.supersedes()) {
                if (ids.containsKey(s)) {
                    supersedes.add(ids.get(s));
                } else if (!known.contains(s)) {
                    losses.put("supersedes (unknown id)", "an id that is not one of the user's memories at the source was left out");
                } else {
                    losses.put("supersedes (memory not written)", "a superseded memory that could not be written was left out");
                }
            }
            if (!features.supportsSupersession()) {
                losses.put("supersedes", "stored as the target's ids, but the target does not hide superseded "
                        + "memories from search");
            }
            supersedes = supersedes.isEmpty() ? null : supersedes;
        }
        Map<String, Object> ext = new LinkedHashMap<>();
        m.extensions().forEach((k, v) -> {
            if (k.startsWith("x-") && !k.equals(Origin.FIELD)) {
                ext.put(k, v);
            }
        });
        ext.put(Origin.FIELD, origin.toValue());
        MemoryInput in = MemoryInput.builder(m.userId(), m.content()).scope(scope).tags(m.tags()).source(m.source())
                .confidence(m.confidence()).validFrom(m.validFrom()).validTo(m.validTo()).supersedes(supersedes)
                .extensions(ext).build();
        return new Fitted(new ImportedMemory(in, m.createdAt()), losses, null);
    }
}
