package blog.openmem.supermemory;

import blog.openmem.core.vendor.ClientFilter;
import blog.openmem.core.vendor.Completion;
import blog.openmem.core.vendor.IngestionPoller;
import blog.openmem.core.vendor.Keyset;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.OmpFields;
import blog.openmem.core.vendor.RecentAnswers;
import blog.openmem.core.vendor.Rest;
import blog.openmem.core.vendor.StillProcessingException;
import blog.openmem.core.vendor.VendorCursor;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * OMP on Supermemory, through its v5 API or its legacy v3/v4 API ({@link SupermemoryApi}). Each OMP
 * user is one namespace or container tag ({@link Namespaces}); each memory is one document, named
 * by its OMP id ({@link MemoryIds}), its text the document's content, and the OMP fields its
 * metadata ({@link MetadataCodec}). With {@code task_type=superrag} (the
 * default) the text is chunked, embedded and indexed as written, and search hits are chunks mapped
 * back to their document; with {@code memory} Supermemory extracts memories with its model and
 * search hits are those memories, mapped back to the document they came from. Processing is
 * asynchronous: a memory is {@code done} when Supermemory says its document is.
 */
final class SupermemoryProvider implements MemoryProvider {
    private final SupermemoryApi api;
    private final AutoCloseable http;
    private final SupermemorySettings settings;
    private final VendorCursor cursors;
    private final IngestionPoller poller;
    private final Capabilities capabilities;
    private final RecentAnswers recent = RecentAnswers.thirtySeconds();

    SupermemoryProvider(SupermemoryApi api, AutoCloseable http, SupermemorySettings settings, VendorCursor cursors,
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

    // ---------------------------------------------------------------- writes

    @Override
    public Memory add(MemoryInput in, CallContext ctx) {
        String ns = Namespaces.of(in.userId());
        String id = api.add(ns, MemoryIds.newKey(), in.content(), SupermemoryDocuments.metadata(OmpFields.of(in, null,
                null), in.content()), settings.taskType(), ctx.requestId());
        // Read back: the document as stored, with Supermemory's creation time (the order of every list).
        return recent.answered(settings.waitForIngestion() ? awaitDone(ns, id, in.userId(), ctx.requestId())
                : read(ns, id, in.userId(), ctx.requestId()).orElseThrow(() -> new ProviderException(
                        "supermemory: document " + id + " cannot be read after it was added",
                        ErrorDetails.provider("supermemory"))));
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        Optional<String> nsOf = MemoryIds.namespace(id, userId);
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
        Optional<String> patched = poller.await(StillProcessingException.awaitedBy(
                () -> api.patch(ns, id, text, metadata, ctx.requestId())),
                "supermemory document " + id + " to finish processing before the update");
        if (patched.isEmpty()) {
            return Optional.empty();
        }
        return recent.answered(Optional.of(settings.waitForIngestion() ? awaitDone(ns, id, owner, ctx.requestId())
                : read(ns, id, owner, ctx.requestId()).orElseThrow(() -> new ProviderException(
                        "supermemory: document " + id + " cannot be read after its update",
                        ErrorDetails.provider("supermemory")))));
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        Optional<String> nsOf = MemoryIds.namespace(id, userId);
        if (nsOf.isEmpty()) {
            return false; // not an id of this adapter's, or another user's: no call, so no answer
        }
        String ns = nsOf.get();
        if (read(ns, id, userId, ctx.requestId()).isEmpty()) {
            return recent.answered(false);
        }
        return recent.answered(api.delete(ns, id, ctx.requestId()));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        Optional<String> ns = MemoryIds.namespace(id, userId);
        return ns.isEmpty() ? Optional.empty() : recent.answered(read(ns.get(), id, userId, ctx.requestId()));
    }

    /** A document by id, confined to the user when one is given. */
    private Optional<Memory> read(String ns, String id, String userId, String requestId) {
        Optional<SupermemoryApi.Document> d = api.document(ns, id, requestId);
        return d.isEmpty() || userId != null && !SupermemoryDocuments.owned(d.get(), userId) ? Optional.empty()
                : Optional.of(SupermemoryDocuments.toOmp(d.get(), d.get().content()));
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
        String fingerprint = Keyset.fingerprint(q, ctx.readScopes());
        Position after = q.cursor() == null ? null : Position.from(cursors.decode(q.cursor(), fingerprint));
        SupermemoryApi.Filter filter = new SupermemoryApi.Filter(scopeBase(q.scope()), q.tag(), null);
        Predicate<Memory> keep = ClientFilter.list(q, ctx.readScopes()).and(m -> q.userId().equals(m.userId()));
        int pageSize = Math.min(settings.pageSize(), q.limit() + 1);
        // A continuation starts one page before the one it stopped in: documents deleted meanwhile
        // move later ones up; the position skips what was already returned.
        Completion.Position start = after == null ? Completion.Position.START
                : new Completion.Position(String.valueOf(Math.max(1, after.page() - 1)), 0);
        // Documents added while this call reads pages move the later ones down: the next page then
        // starts with what this one ended with, so each page is read past the last document seen.
        Keyset[] floor = {after == null ? null : after.at()};
        Completion.Result<Memory> r = Completion.collect(start, page -> {
            int number = page == null ? 1 : Integer.parseInt(page);
            SupermemoryApi.Page p = api.list(ns, number, pageSize, filter, ctx.requestId());
            List<SupermemoryApi.Document> fresh = new ArrayList<>();
            for (SupermemoryApi.Document d : p.documents()) {
                if (floor[0] != null && !floor[0].isAfter(d.createdAt(), d.id())) {
                    continue;
                }
                floor[0] = new Keyset(d.createdAt(), d.id());
                if ((q.since() == null || !d.createdAt().isBefore(q.since())) && (q.until() == null
                        || !d.createdAt().isAfter(q.until())) && SupermemoryDocuments.owned(d, q.userId())) {
                    fresh.add(d);
                }
            }
            return new Completion.Page<>(withContent(ns, fresh, ctx.requestId()), p.more()
                    ? String.valueOf(number + 1) : null);
        }, keep, q.limit(), settings.bounds(), "supermemory list");
        String next = r.next() == null || r.lastSeen() == null ? null
                : cursors.encode(fingerprint, new Position(r.next().page() == null ? 1 : Integer.parseInt(
                        r.next().page()), Keyset.of(r.lastSeen())).toMap());
        return recent.answered(new MemoryPage(r.items(), next));
    }

    /**
     * The documents as memories, in order; those the answer gave without their text (v5 list items,
     * search hits' documents) are read, concurrently, and their answers read here.
     */
    private List<Memory> withContent(String ns, List<SupermemoryApi.Document> docs, String requestId) {
        List<Supplier<Optional<SupermemoryApi.Document>>> reads = new ArrayList<>();
        for (SupermemoryApi.Document d : docs) {
            if (d.content() != null) {
                reads.add(() -> Optional.of(d));
            } else {
                Rest.Pending<SupermemoryApi.Document> read = api.documentAsync(ns, d.id(), requestId);
                // A document deleted between the list and its read is no longer listed.
                reads.add(() -> Rest.absentOn404(read::join));
            }
        }
        List<Memory> out = new ArrayList<>();
        for (Supplier<Optional<SupermemoryApi.Document>> read : reads) {
            read.get().ifPresent(d -> out.add(SupermemoryDocuments.toOmp(d, d.content())));
        }
        return out;
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        String ns = Namespaces.of(q.userId());
        boolean chunks = settings.taskType().equals("superrag");
        int limit = Math.min(100, Math.max(20, q.limit() * 3));
        List<SupermemoryApi.Hit> hits = api.search(ns, q.query(), chunks, limit, q.minScore() == null ? 0
                : q.minScore(), new SupermemoryApi.Filter(scopeBase(q.scope()), null, null), ctx.requestId());
        // Hits are chunks or extracted memories: one result per document, at its best score.
        Map<String, SupermemoryApi.Hit> best = new LinkedHashMap<>();
        for (SupermemoryApi.Hit h : hits) {
            String docId = h.document().id();
            if (SupermemoryDocuments.owned(h.document(), q.userId())
                    && (!best.containsKey(docId) || score(h) > score(best.get(docId)))) {
                best.put(docId, h);
            }
        }
        Set<String> superseded = q.includeSuperseded() ? Set.of()
                : superseded(ns, q.userId(), List.copyOf(best.keySet()), ctx.requestId());
        Predicate<Memory> keep = ClientFilter.search(q, ctx.readScopes(), superseded, Instant.now())
                .and(m -> q.userId().equals(m.userId()));
        // A chunk as long as the whole text is the whole text; otherwise the document is read.
        List<SupermemoryApi.Document> docs = new ArrayList<>();
        best.values().forEach(h -> docs.add(chunks && h.text() != null
                && h.text().length() == SupermemoryDocuments.contentChars(h.document())
                ? withText(h.document(), h.text()) : h.document()));
        Map<String, Memory> found = new LinkedHashMap<>();
        withContent(ns, docs, ctx.requestId()).forEach(m -> found.put(m.id(), m));
        List<SearchResult> out = new ArrayList<>();
        best.forEach((docId, h) -> {
            Memory m = found.get(docId);
            if (m != null && keep.test(m) && ClientFilter.meetsMinScore(q, score(h))) {
                out.add(new SearchResult(m, score(h)));
            }
        });
        out.sort(Comparator.comparingDouble(SearchResult::score).reversed());
        if (hits.size() >= limit) {
            Completion.searchCut("supermemory", out.size(), q.limit(), limit);
        }
        return recent.answered(out.subList(0, Math.min(q.limit(), out.size())));
    }

    private static SupermemoryApi.Document withText(SupermemoryApi.Document d, String text) {
        return new SupermemoryApi.Document(d.id(), text, d.status(), d.createdAt(), d.updatedAt(), d.metadata());
    }

    /** @return a hit's {@code similarity}, in [0, 1] */
    private static double score(SupermemoryApi.Hit hit) {
        return Math.max(0, Math.min(1, hit.similarity()));
    }

    /**
     * Which of the candidates a memory of the user supersedes: the documents whose superseded ids
     * hold any of them, found by Supermemory's filter (one list call for all candidates).
     */
    private Set<String> superseded(String ns, String userId, List<String> candidates, String requestId) {
        Set<String> out = new HashSet<>();
        if (candidates.isEmpty()) {
            return out;
        }
        SupermemoryApi.Filter filter = new SupermemoryApi.Filter(null, null, candidates);
        for (int page = 1; ; page++) {
            SupermemoryApi.Page p = api.list(ns, page, 100, filter, requestId);
            for (SupermemoryApi.Document d : p.documents()) {
                List<String> s = SupermemoryDocuments.owned(d, userId) ? SupermemoryDocuments.fields(d).supersedes()
                        : null;
                if (s != null) {
                    out.addAll(s);
                }
            }
            if (!p.more()) {
                out.retainAll(candidates);
                return out;
            }
        }
    }

    /** @return the base of a scope pattern's subtree (the stored scope prefixes hold it), or null for all */
    private static String scopeBase(String scope) {
        if (scope == null) {
            return null;
        }
        String base = ScopePattern.parse(scope).toString().replaceAll("/?\\*$", "");
        return base.isEmpty() ? null : base;
    }

    // ---------------------------------------------------------------- health and life cycle

    /** Healthy when Supermemory answered any call in the last 30 s; else one cheap read. */
    @Override
    public void checkHealth() {
        recent.check(api::ping);
    }

    @Override
    public void close() {
        Rest.closeQuietly(http);
    }

    @Override
    public String toString() {
        return "SupermemoryProvider[" + api.version() + " at " + settings.baseUrl() + ", " + settings.taskType()
                + "]";
    }

    /**
     * A list position: the vendor page the list stopped in, and the last document examined.
     *
     * @param page the page, from 1
     * @param at   the last document examined
     */
    record Position(int page, Keyset at) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(at.toMap());
            m.put("pg", page);
            return m;
        }

        static Position from(Map<String, Object> m) {
            Keyset at = Keyset.from(m);
            if (!(m.get("pg") instanceof Integer page) || page < 1) {
                throw new blog.openmem.spi.error.InvalidRequestException("cursor: malformed position");
            }
            return new Position(page, at);
        }
    }
}
