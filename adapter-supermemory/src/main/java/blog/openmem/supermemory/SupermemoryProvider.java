package blog.openmem.supermemory;

import blog.openmem.core.vendor.ClientFilter;
import blog.openmem.core.vendor.Completion;
import blog.openmem.core.vendor.IngestionPoller;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.OmpFields;
import blog.openmem.core.vendor.VendorCursor;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * OMP on Supermemory's v5 API. Each OMP user is one namespace ({@link Namespaces}); each memory is
 * one document whose id is the OMP id the adapter assigns, its text the document's content, and
 * the OMP fields its metadata ({@link MetadataCodec}). With {@code task_type=superrag} (the
 * default) the text is chunked, embedded and indexed as written, and search hits are chunks mapped
 * back to their document; with {@code memory} Supermemory extracts memories with its model and
 * search hits are those memories, mapped back to the document they came from. Processing is
 * asynchronous: a memory is {@code done} when Supermemory says its document is.
 */
final class SupermemoryProvider implements MemoryProvider {
    private static final long HEALTH_FRESH_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    /** The classifier's message for a 409: a document still processing cannot be patched yet. */
    static final String STILL_PROCESSING = "document still processing";

    private final V5Api api;
    private final AutoCloseable http;
    private final SupermemorySettings settings;
    private final VendorCursor cursors;
    private final IngestionPoller poller;
    private final Capabilities capabilities;
    private volatile long lastAnswer = System.nanoTime() - 2 * HEALTH_FRESH_NANOS;

    SupermemoryProvider(V5Api api, AutoCloseable http, SupermemorySettings settings, VendorCursor cursors,
                        IngestionPoller poller) {
        this.api = api;
        this.http = http;
        this.settings = settings;
        this.cursors = cursors;
        this.poller = poller;
        this.capabilities = Capabilities.builder("supermemory")
                .verbs(Verb.ADD, Verb.GET, Verb.UPDATE, Verb.DELETE, Verb.LIST, Verb.SEARCH, Verb.CONTEXT)
                .vectorSearch(true).temporal(true).scopes(ScopeSupport.TAGS).supportsSupersession(true)
                .maxSearchResults(100).build();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private <T> T answered(T value) {
        lastAnswer = System.nanoTime();
        return value;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Memory add(MemoryInput in, CallContext ctx) {
        String ns = Namespaces.of(in.userId());
        String id = newId(ns);
        api.add(ns, id, in.content(), SupermemoryDocuments.metadata(OmpFields.of(in, id, null), in.content()),
                settings.taskType(), ctx.requestId());
        // Read back: the document as stored, with Supermemory's creation time (the order of every list).
        return answered(settings.waitForIngestion() ? awaitDone(ns, id, in.userId(), ctx.requestId())
                : read(ns, id, in.userId(), ctx.requestId()).orElseThrow(() -> new ProviderException(
                        "supermemory: document " + id + " cannot be read after it was added",
                        ErrorDetails.provider("supermemory"))));
    }

    /**
     * A new OMP id, which is also the document's caller id: it names the namespace, so that a read
     * by id alone finds the document ({@code mem_<32 hex>.<namespace>}).
     */
    static String newId(String ns) {
        return "mem_" + UUID.randomUUID().toString().replace("-", "") + "." + ns;
    }

    /** @return the namespace an id names, when it is one of this adapter's and belongs to the user (if given) */
    private static Optional<String> namespace(String id, String userId) {
        if (!id.startsWith("mem_") || id.length() < 38 || id.charAt(36) != '.') {
            return Optional.empty();
        }
        String ns = id.substring(37);
        if (!ns.matches("[a-zA-Z0-9_:-]{1,100}") || userId != null && !ns.equals(Namespaces.of(userId))) {
            return Optional.empty();
        }
        return Optional.of(ns);
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        Optional<String> nsOf = namespace(id, userId);
        if (nsOf.isEmpty()) {
            return Optional.empty();
        }
        String ns = nsOf.get();
        Optional<Memory> current = read(ns, id, userId, ctx.requestId());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Memory next = update.applyTo(current.get(), Instant.now());
        String owner = current.get().userId();
        String text = next.content().equals(current.get().content()) ? null : next.content();
        ObjectNode metadata = SupermemoryDocuments.metadata(OmpFields.of(next), next.content());
        // A document still processing answers 409: wait it out within the ingestion budget.
        Optional<String> patched = poller.await(() -> {
            try {
                return Optional.of(api.patch(ns, id, text, metadata, ctx.requestId()));
            } catch (ProviderUnavailableException e) {
                if (e.getMessage() != null && e.getMessage().contains(STILL_PROCESSING)) {
                    return Optional.empty();
                }
                throw e;
            }
        }, "supermemory document " + id + " to finish processing before the update");
        if (patched.isEmpty()) {
            return Optional.empty();
        }
        return answered(Optional.of(settings.waitForIngestion() ? awaitDone(ns, id, owner, ctx.requestId())
                : read(ns, id, owner, ctx.requestId()).orElseThrow(() -> new ProviderException(
                        "supermemory: document " + id + " cannot be read after its update",
                        ErrorDetails.provider("supermemory")))));
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        Optional<String> nsOf = namespace(id, userId);
        if (nsOf.isEmpty()) {
            return answered(false);
        }
        String ns = nsOf.get();
        if (read(ns, id, userId, ctx.requestId()).isEmpty()) {
            return answered(false);
        }
        return answered(api.delete(ns, List.of(id), ctx.requestId()) > 0);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        Optional<String> ns = namespace(id, userId);
        return ns.isEmpty() ? Optional.empty() : answered(read(ns.get(), id, userId, ctx.requestId()));
    }

    /** A document by id, confined to the user when one is given. */
    private Optional<Memory> read(String ns, String id, String userId, String requestId) {
        return api.document(ns, id, requestId).filter(d -> userId == null || SupermemoryDocuments.owned(d, userId))
                .map(d -> SupermemoryDocuments.toOmp(d, d.path("content").asText("")));
    }

    /** Polls the document until Supermemory has processed it; {@code failed} is an error naming it. */
    private Memory awaitDone(String ns, String id, String userId, String requestId) {
        return poller.await(() -> {
            Memory m = read(ns, id, userId, requestId).orElseThrow(() -> new ProviderException(
                    "supermemory: document " + id + " disappeared while processing", ErrorDetails.provider("supermemory")));
            return switch (m.status()) {
                case DONE -> Optional.of(m);
                case FAILED -> throw new ProviderException("supermemory: processing of document " + id + " failed",
                        ErrorDetails.provider("supermemory"));
                default -> Optional.empty();
            };
        }, "supermemory document " + id);
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        String ns = Namespaces.of(q.userId());
        String fingerprint = String.join("\u0001", q.userId(), String.valueOf(q.scope()), String.valueOf(q.tag()),
                String.valueOf(q.since()), String.valueOf(q.until()), String.valueOf(ctx.readScopes()));
        Position after = q.cursor() == null ? null : Position.from(cursors.decode(q.cursor(), fingerprint));
        JsonNode filter = filter(q.scope(), q.tag(), null);
        Predicate<Memory> keep = ClientFilter.list(q, ctx.readScopes()).and(m -> q.userId().equals(m.userId()));
        int pageSize = Math.min(settings.pageSize(), q.limit() + 1);
        // A continuation starts one page before the one it stopped in: documents deleted meanwhile
        // move later ones up; the position skips what was already returned.
        Completion.Position start = after == null ? Completion.Position.START
                : new Completion.Position(String.valueOf(Math.max(1, after.page() - 1)), 0);
        // Documents added while this call reads pages move the later ones down: the next page then
        // starts with what this one ended with, so each page is read past the last document seen.
        Position[] floor = {after};
        Completion.Result<Memory> r = Completion.collect(start, page -> {
            int number = page == null ? 1 : Integer.parseInt(page);
            V5Api.Page p = api.list(ns, number, pageSize, filter, ctx.requestId());
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode d : p.documents()) {
                if (floor[0] != null && !floor[0].isBefore(d)) {
                    continue;
                }
                floor[0] = Position.of(d);
                if (inTimeRange(d, q.since(), q.until()) && SupermemoryDocuments.owned(d, q.userId())) {
                    fresh.add(d);
                }
            }
            return new Completion.Page<>(withContent(ns, fresh, ctx.requestId()), p.more()
                    ? String.valueOf(number + 1) : null);
        }, keep, q.limit(), settings.bounds(), "supermemory list");
        String next = r.next() == null || r.lastSeen() == null ? null
                : cursors.encode(fingerprint, Position.of(r.lastSeen(), Integer.parseInt(
                        r.next().page() == null ? "1" : r.next().page())).toMap());
        return answered(new MemoryPage(r.items(), next));
    }

    private static boolean inTimeRange(JsonNode doc, Instant since, Instant until) {
        if (since == null && until == null) {
            return true;
        }
        Instant t = Timestamps.parse(doc.path("system").path("createdAt").asText());
        return (since == null || !t.isBefore(since)) && (until == null || !t.isAfter(until));
    }

    /** The documents with their text: a list item has none, so each is read (concurrently). */
    private List<Memory> withContent(String ns, List<JsonNode> docs, String requestId) {
        List<CompletableFuture<Optional<JsonNode>>> reads = new ArrayList<>();
        for (JsonNode d : docs) {
            reads.add(api.documentAsync(ns, d.path("id").asText(), requestId));
        }
        List<Memory> out = new ArrayList<>();
        for (CompletableFuture<Optional<JsonNode>> f : reads) {
            // A document deleted between the list and its read is no longer listed.
            join(f).ifPresent(d -> out.add(SupermemoryDocuments.toOmp(d, d.path("content").asText(""))));
        }
        return out;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        String ns = Namespaces.of(q.userId());
        Set<String> superseded = q.includeSuperseded() ? Set.of() : superseded(ns, q.userId(), ctx.requestId());
        Predicate<Memory> keep = ClientFilter.search(q, ctx.readScopes(), superseded, Instant.now())
                .and(m -> q.userId().equals(m.userId()));
        boolean chunks = settings.taskType().equals("superrag");
        int limit = Math.min(100, Math.max(20, q.limit() * 3));
        List<JsonNode> hits = api.search(ns, q.query(), chunks ? "chunks" : "memories", limit,
                q.minScore() == null ? 0 : q.minScore(), filter(q.scope(), null, null), ctx.requestId());
        // Hits are chunks or extracted memories: one result per document, at its best score.
        Map<String, JsonNode> bestHit = new LinkedHashMap<>();
        Map<String, Double> best = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            JsonNode doc = h.path("included").path("document");
            String docId = doc.path("id").asText(null);
            double score = Math.max(0, Math.min(1, h.path("similarity").asDouble(0)));
            if (docId == null || !SupermemoryDocuments.owned(doc, q.userId())) {
                continue;
            }
            if (!best.containsKey(docId) || score > best.get(docId)) {
                best.put(docId, score);
                bestHit.put(docId, h);
            }
        }
        List<String> needRead = new ArrayList<>();
        Map<String, Memory> found = new LinkedHashMap<>();
        bestHit.forEach((docId, h) -> {
            JsonNode doc = h.path("included").path("document");
            String text = h.path("chunk").asText(null);
            // A chunk as long as the whole text is the whole text; otherwise the document is read.
            if (chunks && text != null && text.length() == SupermemoryDocuments.contentChars(doc)) {
                found.put(docId, SupermemoryDocuments.toOmp(doc, text));
            } else {
                needRead.add(docId);
            }
        });
        if (!needRead.isEmpty()) {
            List<JsonNode> refs = new ArrayList<>();
            needRead.forEach(id -> refs.add(V5Api.object().put("id", id)));
            for (Memory m : withContent(ns, refs, ctx.requestId())) {
                found.put(m.id(), m);
            }
        }
        List<SearchResult> out = new ArrayList<>();
        for (Map.Entry<String, Double> e : best.entrySet()) {
            Memory m = found.get(e.getKey());
            if (m != null && keep.test(m) && (q.minScore() == null || e.getValue() >= q.minScore())) {
                out.add(new SearchResult(m, e.getValue()));
            }
        }
        out.sort(Comparator.comparingDouble(SearchResult::score).reversed());
        if (out.size() < q.limit() && hits.size() >= limit) {
            System.getLogger(SupermemoryProvider.class.getName()).log(System.Logger.Level.WARNING, "supermemory:"
                    + " search kept {0} of {1} results after filtering its {2} best hits", out.size(), q.limit(), limit);
        }
        return answered(out.subList(0, Math.min(q.limit(), out.size())));
    }

    /** Ids superseded by a memory of the user: the documents marked as superseding others. */
    private Set<String> superseded(String ns, String userId, String requestId) {
        Set<String> out = new HashSet<>();
        JsonNode filter = filter(null, null, Boolean.TRUE);
        int page = 1;
        while (true) {
            V5Api.Page p = api.list(ns, page, 100, filter, requestId);
            for (JsonNode d : p.documents()) {
                if (SupermemoryDocuments.owned(d, userId)) {
                    List<String> s = SupermemoryDocuments.fields(d).supersedes();
                    if (s != null) {
                        out.addAll(s);
                    }
                }
            }
            if (!p.more()) {
                return out;
            }
            page++;
        }
    }

    /**
     * What v5 filters itself, on the metadata: a scope pattern's subtree through the stored scope
     * prefixes, a tag, and the supersession mark. The rest is filtered here.
     */
    private static JsonNode filter(String scope, String tag, Boolean supersedes) {
        List<ObjectNode> preds = new ArrayList<>();
        if (scope != null) {
            String base = ScopePattern.parse(scope).toString().replaceAll("/?\\*$", "");
            if (!base.isEmpty()) {
                preds.add(V5Api.object().put("field", MetadataCodec.SCOPE_PREFIXES).put("operator", "arrayContains")
                        .put("value", base));
            }
        }
        if (tag != null) {
            preds.add(V5Api.object().put("field", MetadataCodec.TAGS).put("operator", "arrayContains").put("value", tag));
        }
        if (supersedes != null) {
            preds.add(V5Api.object().put("field", MetadataCodec.HAS_SUPERSEDES).put("operator", "eq")
                    .put("value", supersedes));
        }
        if (preds.isEmpty()) {
            return null;
        }
        if (preds.size() == 1) {
            return preds.get(0);
        }
        ObjectNode and = V5Api.object().put("operator", "and");
        ArrayNode operands = and.putArray("operands");
        preds.forEach(operands::add);
        return and;
    }

    // ---------------------------------------------------------------- health and life cycle

    /** Healthy when Supermemory answered any call in the last 30 s; else one cheap namespaces read. */
    @Override
    public void checkHealth() {
        if (System.nanoTime() - lastAnswer < HEALTH_FRESH_NANOS) {
            return;
        }
        api.ping();
        answered(null);
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (Exception e) {
            // nothing held
        }
    }

    @Override
    public String toString() {
        return "SupermemoryProvider[v5 at " + settings.baseUrl() + ", " + settings.taskType() + "]";
    }

    /**
     * A list position: the page it stopped in, and the creation time and id of the last document
     * examined (newest first).
     */
    record Position(int page, Instant createdAt, String id) {
        static Position of(Memory m, int page) {
            return new Position(page, m.createdAt(), m.id());
        }

        static Position of(JsonNode doc) {
            return new Position(0, Timestamps.parse(doc.path("system").path("createdAt").asText()),
                    doc.path("id").asText());
        }

        /** @return whether the document comes after this position in newest-first order */
        boolean isBefore(JsonNode doc) {
            Instant t = Timestamps.parse(doc.path("system").path("createdAt").asText());
            int c = t.compareTo(createdAt);
            return c < 0 || (c == 0 && doc.path("id").asText().compareTo(id) < 0);
        }

        Map<String, Object> toMap() {
            return Map.of("pg", page, "t", java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, createdAt),
                    "id", id);
        }

        static Position from(Map<String, Object> m) {
            try {
                return new Position(((Number) m.get("pg")).intValue(), Instant.EPOCH.plus(((Number) m.get("t"))
                        .longValue(), java.time.temporal.ChronoUnit.MICROS), (String) java.util.Objects.requireNonNull(
                        m.get("id")));
            } catch (RuntimeException e) {
                throw new blog.openmem.spi.error.InvalidRequestException("cursor: malformed position");
            }
        }
    }
}
