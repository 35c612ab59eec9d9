package blog.openmem.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The state behind both Supermemory simulators (v5 and the legacy v3/v4 API), which only differ in
 * their wire forms: documents per namespace (container tag), processed asynchronously
 * ({@code queued → extracting → chunking → embedding → indexing → done}, advanced by reads, or
 * {@code failed} on demand) and searchable once done; search over chunks ({@code superrag}: the text
 * as written, cut into chunks of {@value #CHUNK} characters) or over extracted memories
 * ({@code memory}: the simulator has no model, so the one memory of a document is its text). Not
 * thread-safe: the simulators guard it with their monitor.
 */
final class SupermemoryStore {
    /** Characters per chunk. */
    static final int CHUNK = 1000;
    private static final List<String> STAGES = List.of("queued", "extracting", "chunking", "embedding", "indexing");

    private final SimClock clock = new SimClock();
    private final Map<String, Map<String, Doc>> namespaces = new LinkedHashMap<>();
    private final Map<String, Doc> byId = new HashMap<>();
    private int readsUntilDone = 1;
    private boolean failNext;

    /** One document. */
    static final class Doc {
        final String id;
        final String namespace;
        final Instant createdAt;
        String customId;
        String content;
        ObjectNode metadata;
        String taskType;
        Instant updatedAt;
        String status;
        int readsLeft;
        String memoryId = "mem_" + UUID.randomUUID();

        Doc(String id, String namespace, Instant createdAt) {
            this.id = id;
            this.namespace = namespace;
            this.createdAt = createdAt;
        }

        boolean searchable() {
            return status.equals("done");
        }

        /** @return whether a change must wait: the document is neither done nor failed */
        boolean processing() {
            return !status.equals("done") && !status.equals("failed");
        }
    }

    /**
     * A search hit.
     *
     * @param doc      the document
     * @param text     the chunk or the memory
     * @param position the chunk's position
     * @param score    in [0, 1]
     * @param memory   whether it is an extracted memory (else a chunk)
     */
    record Hit(Doc doc, String text, int position, double score, boolean memory) {
    }

    void readsUntilDone(int reads) {
        this.readsUntilDone = reads;
    }

    void failNextDocument() {
        failNext = true;
    }

    int documentCount() {
        return namespaces.values().stream().mapToInt(Map::size).sum();
    }

    Set<String> namespaceNames() {
        return Set.copyOf(namespaces.keySet());
    }

    /** @return the namespace's documents by id (empty if none) */
    Map<String, Doc> documents(String ns) {
        return namespaces.getOrDefault(ns, Map.of());
    }

    /** @return a document of any namespace by id, or null (for APIs whose ids are global) */
    Doc find(String id) {
        return byId.get(id);
    }

    /**
     * Creates the document, or replaces the content of the one with this id in the namespace, and
     * (re)starts its processing.
     */
    Doc put(String ns, String id, String content, ObjectNode metadata, String taskType) {
        Doc d = documents(ns).get(id);
        if (d == null) {
            d = new Doc(id, ns, clock.now());
            namespaces.computeIfAbsent(ns, k -> new LinkedHashMap<>()).put(id, d);
            byId.put(id, d);
        }
        d.content = content;
        d.metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata.deepCopy();
        d.taskType = taskType;
        d.updatedAt = clock.now();
        restart(d);
        return d;
    }

    /**
     * Changes a document that is not processing; new content reprocesses it.
     *
     * @param content  the new text, or null
     * @param metadata the new metadata, or null
     * @param taskType the new task type, or null
     */
    void change(Doc d, String content, ObjectNode metadata, String taskType) {
        if (metadata != null) {
            d.metadata = metadata.deepCopy();
        }
        if (taskType != null) {
            d.taskType = taskType;
        }
        d.updatedAt = clock.now();
        if (content != null) {
            d.content = content;
            d.memoryId = "mem_" + UUID.randomUUID();
            restart(d);
        }
    }

    void remove(Doc d) {
        byId.remove(d.id, d);
        Map<String, Doc> docs = namespaces.get(d.namespace);
        docs.remove(d.id);
        if (docs.isEmpty()) {
            namespaces.remove(d.namespace);
        }
    }

    private void restart(Doc d) {
        d.readsLeft = readsUntilDone;
        d.status = readsUntilDone == 0 ? finish() : "queued";
    }

    /** @return the status a document reaches when processing ends: done, or failed once when asked. */
    private String finish() {
        if (failNext) {
            failNext = false;
            return "failed";
        }
        return "done";
    }

    /** A read advances processing by one stage until the configured number of reads is reached. */
    void advance(Doc d) {
        if (!d.processing()) {
            return;
        }
        d.readsLeft--;
        d.status = d.readsLeft <= 0 ? finish() : STAGES.get(Math.min(STAGES.size() - 1, 1 + STAGES.indexOf(d.status)));
    }

    /**
     * @param sort {@code createdAt} or {@code updatedAt}
     * @return the namespace's documents that pass the filter, in that order
     */
    List<Doc> list(String ns, Predicate<ObjectNode> filter, String sort, boolean ascending) {
        List<Doc> all = new ArrayList<>();
        for (Doc d : documents(ns).values()) {
            if (filter.test(d.metadata)) {
                all.add(d);
            }
        }
        Comparator<Doc> by = sort.equals("updatedAt") ? Comparator.comparing((Doc d) -> d.updatedAt)
                : Comparator.comparing((Doc d) -> d.createdAt);
        all.sort(ascending ? by : by.reversed());
        return all;
    }

    /**
     * @param chunks   whether chunks of {@code superrag} documents are searched
     * @param memories whether memories of {@code memory} documents are searched
     * @return the best hits at or above the threshold, best first
     */
    List<Hit> search(String ns, String query, boolean chunks, boolean memories, double threshold,
                     Predicate<ObjectNode> filter, int limit) {
        List<Hit> hits = new ArrayList<>();
        for (Doc d : documents(ns).values()) {
            if (!d.searchable() || !filter.test(d.metadata)) {
                continue;
            }
            boolean extracted = d.taskType.equals("memory");
            if (extracted && memories) {
                hits.add(new Hit(d, d.content, 0, Mem0Store.score(query, d.content), true));
            }
            if (!extracted && chunks) {
                for (int i = 0; i * CHUNK < d.content.length(); i++) {
                    String chunk = d.content.substring(i * CHUNK, Math.min(d.content.length(), (i + 1) * CHUNK));
                    hits.add(new Hit(d, chunk, i, Mem0Store.score(query, chunk), false));
                }
            }
        }
        hits.removeIf(h -> h.score() < threshold);
        hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        return hits.subList(0, Math.min(limit, hits.size()));
    }
}
