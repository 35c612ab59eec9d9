package blog.openmem.mem0;

import blog.openmem.core.vendor.ClientFilter;
import blog.openmem.core.vendor.Completion;
import blog.openmem.core.vendor.IngestionPoller;
import blog.openmem.core.vendor.Keyset;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.OmpFields;
import blog.openmem.core.vendor.RecentAnswers;
import blog.openmem.core.vendor.Rest;
import blog.openmem.core.vendor.VendorCursor;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryStatus;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * OMP on Mem0 (hosted platform or self-hosted server). A memory is one Mem0 memory: its id is
 * Mem0's; the OMP fields Mem0 has no place for travel in its metadata ({@link MetadataCodec}); the
 * user is Mem0's {@code user_id}. What Mem0 cannot filter exactly — scope patterns, validity,
 * supersession, the caller's read scopes, {@code min_score} — is completed here with the vendor kit.
 *
 * <p>With {@code infer=true} on the platform, an add is an event: the memory returned has the id
 * {@code evt_<event id>} and status {@code queued}; a read of that id follows the event and, once
 * Mem0 has stored the extracted memory, returns it (with its own id). Events are resolved only from
 * the event's own results, never by matching text.
 */
final class Mem0Provider implements MemoryProvider {
    static final String EVENT_PREFIX = "evt_";

    private final Mem0Api api;
    private final AutoCloseable http;
    private final Mem0Settings settings;
    private final VendorCursor cursors;
    private final IngestionPoller poller;
    private final Capabilities capabilities;
    private final RecentAnswers recent = RecentAnswers.thirtySeconds();

    Mem0Provider(Mem0Api api, AutoCloseable http, Mem0Settings settings, VendorCursor cursors, IngestionPoller poller) {
        this.api = api;
        this.http = http;
        this.settings = settings;
        this.cursors = cursors;
        this.poller = poller;
        this.capabilities = Capabilities.builder("mem0")
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
        Mem0Api.Added a = api.add(in.content(), in.userId(), Mem0Memories.metadata(OmpFields.of(in, null, null)),
                settings.infer(), ctx.requestId());
        if (a.eventId() != null) {
            if (settings.waitForIngestion()) {
                return recent.answered(poller.await(() -> stored(a.eventId(), ctx.requestId()), "mem0 event " + a.eventId())
                        .stream().findFirst().flatMap(id -> read(id, in.userId(), ctx.requestId()))
                        .orElseThrow(() -> nothingStored(a.eventId())));
            }
            Memory.Builder b = Memory.builder().id(EVENT_PREFIX + a.eventId()).content(in.content())
                    .createdAt(Instant.now().truncatedTo(ChronoUnit.MICROS)).status(MemoryStatus.QUEUED);
            OmpFields.of(in, null, null).applyTo(b).extensions(withEvent(in.extensions(), a.eventId(), "PENDING"));
            return recent.answered(b.build());
        }
        if (a.memoryIds().isEmpty()) {
            throw new ProviderException("mem0: add stored no memory", ErrorDetails.provider("mem0"));
        }
        // Read back: the memory as stored, with Mem0's own creation time (the order of every list).
        return recent.answered(read(a.memoryIds().get(0), in.userId(), ctx.requestId()).orElseThrow(() ->
                new ProviderException("mem0: the memory just added cannot be read", ErrorDetails.provider("mem0"))));
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        Optional<String> real = memoryId(id, ctx.requestId());
        if (real.isEmpty()) {
            return Optional.empty();
        }
        Optional<Memory> current = read(real.get(), userId, ctx.requestId());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Memory next = update.applyTo(current.get(), Instant.now());
        String text = next.content().equals(current.get().content()) ? null : next.content();
        return recent.answered(api.update(real.get(), text, Mem0Memories.metadata(OmpFields.of(next)), ctx.requestId())
                .map(Mem0Memories::toOmp));
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        List<String> ids = id.startsWith(EVENT_PREFIX) ? eventMemories(id, ctx.requestId()) : List.of(id);
        boolean any = false;
        for (String real : ids) {
            if (read(real, userId, ctx.requestId()).isPresent() && api.delete(real, ctx.requestId())) {
                any = true;
            }
        }
        return recent.answered(any);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        if (id.startsWith(EVENT_PREFIX)) {
            return recent.answered(eventMemory(id.substring(EVENT_PREFIX.length()), userId, ctx.requestId()));
        }
        return recent.answered(read(id, userId, ctx.requestId()));
    }

    /** A stored memory by Mem0 id, confined to the user when one is given. */
    private Optional<Memory> read(String id, String userId, String requestId) {
        if (api.uuidIds() && !uuid(id)) {
            return Optional.empty(); // the platform answers 400 to an id that is not a UUID: none of its memories
        }
        return api.get(id, requestId).map(Mem0Memories::toOmp).filter(m -> userId == null || userId.equals(m.userId()));
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        String fingerprint = Keyset.fingerprint(q, ctx.readScopes());
        Keyset after = q.cursor() == null ? null : Keyset.from(cursors.decode(q.cursor(), fingerprint));
        Predicate<Memory> keep = ClientFilter.list(q, ctx.readScopes()).and(m -> q.userId().equals(m.userId()))
                .and(m -> after == null || after.isAfter(m));
        Completion.Result<Memory> r;
        if (api.pages()) {
            Instant until = after == null ? q.until() : q.until() == null || after.createdAt().isBefore(q.until())
                    ? after.createdAt() : q.until();
            ObjectNode filters = filters(q.userId(), q.scope(), q.tag(), q.since(), until);
            // Pages just over the limit: Mem0 filters most of what the page is for, and a larger page
            // costs its transfer and decoding; the completion reads more pages when filtering drops some.
            int pageSize = Math.min(settings.pageSize(), q.limit() + 1);
            r = Completion.collect(Completion.Position.START, page -> {
                Mem0Api.Page p = api.list(filters, q.userId(), page, pageSize, ctx.requestId());
                return new Completion.Page<>(decoded(p.items()), p.nextPage());
            }, keep, q.limit(), settings.bounds(), "mem0 list");
        } else {
            List<Memory> all = new ArrayList<>(api.list(null, q.userId(), null, OssApi.MAX_LIST, ctx.requestId()).items()
                    .stream().map(Mem0Memories::toOmp).toList());
            if (all.size() >= OssApi.MAX_LIST) {
                LoggerFactory.getLogger(Mem0Provider.class).warn("mem0: the server"
                        + " answers at most {} memories per list: older ones are not listed", OssApi.MAX_LIST);
            }
            all.sort(Keyset.NEWEST_FIRST);
            r = Completion.collect(Completion.Position.START, page -> new Completion.Page<>(all, null), keep,
                    q.limit(), settings.bounds(), "mem0 list");
        }
        String next = r.next() == null || r.lastSeen() == null ? null
                : cursors.encode(fingerprint, Keyset.of(r.lastSeen()).toMap());
        return recent.answered(new MemoryPage(r.items(), next));
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        ObjectNode filters = filters(q.userId(), q.scope(), null, null, null);
        Set<String> superseded = q.includeSuperseded() ? Set.of() : superseded(q.userId(), ctx.requestId());
        Predicate<Memory> keep = ClientFilter.search(q, ctx.readScopes(), superseded, Instant.now())
                .and(m -> q.userId().equals(m.userId()));
        int topK = Math.min(MAX_TOP_K, Math.max(20, q.limit() * 3));
        while (true) {
            List<Mem0Memory> raw = api.search(q.query(), filters, topK, ctx.requestId());
            List<SearchResult> kept = new ArrayList<>();
            for (Mem0Memory x : raw) {
                Memory m = Mem0Memories.toOmp(x);
                double score = Math.max(0, Math.min(1, x.score() == null ? 0 : x.score()));
                if (keep.test(m) && ClientFilter.meetsMinScore(q, score)) {
                    kept.add(new SearchResult(m, score));
                }
            }
            boolean vendorHasMore = raw.size() >= topK;
            if (kept.size() >= q.limit() || !vendorHasMore || topK == MAX_TOP_K) {
                if (vendorHasMore) {
                    Completion.searchCut("mem0", kept.size(), q.limit(), MAX_TOP_K);
                }
                kept.sort(Comparator.comparingDouble(SearchResult::score).reversed());
                return recent.answered(kept.subList(0, Math.min(q.limit(), kept.size())));
            }
            topK = Math.min(MAX_TOP_K, topK * 4);
        }
    }

    /** Mem0 memories decoded as they are read: a filled page stops before the rest are. */
    private static List<Memory> decoded(List<Mem0Memory> items) {
        Memory[] done = new Memory[items.size()];
        return new java.util.AbstractList<>() {
            @Override
            public Memory get(int i) {
                Memory m = done[i];
                if (m == null) {
                    m = Mem0Memories.toOmp(items.get(i));
                    done[i] = m;
                }
                return m;
            }

            @Override
            public int size() {
                return items.size();
            }
        };
    }

    /** Mem0's largest {@code top_k}. */
    static final int MAX_TOP_K = 1000;

    /** Ids superseded by a live memory of the user: the memories marked as superseding others. */
    private Set<String> superseded(String userId, String requestId) {
        Set<String> out = new HashSet<>();
        if (api.pages()) {
            ObjectNode filters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            ArrayNode and = filters.putArray("AND");
            and.addObject().put("user_id", userId);
            and.addObject().putObject("metadata").put(MetadataCodec.HAS_SUPERSEDES, true);
            String page = null;
            do {
                Mem0Api.Page p = api.list(filters, userId, page, 200, requestId);
                p.items().forEach(x -> addSuperseded(out, x));
                page = p.nextPage();
            } while (page != null);
        } else {
            api.list(null, userId, null, OssApi.MAX_LIST, requestId).items().forEach(x -> addSuperseded(out, x));
        }
        return out;
    }

    private static void addSuperseded(Set<String> out, Mem0Memory mem0) {
        List<String> s = Mem0Memories.toOmp(mem0).supersedes();
        if (s != null) {
            out.addAll(s);
        }
    }

    /**
     * What Mem0 can filter itself (platform grammar; the self-hosted server gets the same): the
     * user, a scope pattern's subtree through the stored scope prefixes, a tag, and creation times.
     * The rest is filtered here.
     */
    private static ObjectNode filters(String userId, String scope, String tag, Instant since, Instant until) {
        ObjectNode filters = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ArrayNode and = filters.putArray("AND");
        and.addObject().put("user_id", userId);
        if (scope != null) {
            String base = ScopePattern.parse(scope).toString().replaceAll("/?\\*$", "");
            if (!base.isEmpty()) {
                and.addObject().putObject("metadata").putObject(MetadataCodec.SCOPE_PREFIXES).put("contains", base);
            }
        }
        if (tag != null) {
            and.addObject().putObject("metadata").putObject(MetadataCodec.TAGS).put("contains", tag);
        }
        if (since != null || until != null) {
            ObjectNode t = and.addObject().putObject("created_at");
            if (since != null) {
                t.put("gte", Timestamps.format(since));
            }
            if (until != null) {
                t.put("lte", Timestamps.format(until));
            }
        }
        return filters;
    }

    // ---------------------------------------------------------------- events (infer=true)

    /** The memory ids an event stored, once it has: empty while it runs. */
    private Optional<List<String>> stored(String eventId, String requestId) {
        JsonNode ev = api.event(eventId, requestId).orElseThrow(() -> nothingStored(eventId));
        return switch (ev.path("status").asText()) {
            case "SUCCEEDED" -> {
                List<String> ids = new ArrayList<>();
                ev.path("results").forEach(x -> ids.add(x.path("id").asText()));
                yield Optional.of(ids);
            }
            case "FAILED" -> throw new ProviderException("mem0: event " + eventId + " failed: "
                    + ev.path("error").asText("no reason given"), ErrorDetails.provider("mem0"));
            default -> Optional.empty();
        };
    }

    /** For an update or delete of a queued memory: the memories its event stored, waiting for them. */
    private List<String> eventMemories(String id, String requestId) {
        String eventId = id.substring(EVENT_PREFIX.length());
        if (!uuid(eventId)) {
            return List.of();
        }
        return poller.await(() -> stored(eventId, requestId), "mem0 event " + eventId);
    }

    private Optional<String> memoryId(String id, String requestId) {
        if (!id.startsWith(EVENT_PREFIX)) {
            return Optional.of(id);
        }
        return eventMemories(id, requestId).stream().findFirst();
    }

    private Optional<Memory> eventMemory(String eventId, String userId, String requestId) {
        if (!uuid(eventId)) {
            return Optional.empty();
        }
        Optional<JsonNode> found = api.event(eventId, requestId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode ev = found.get();
        JsonNode payload = ev.path("payload");
        String owner = payload.path("user_id").asText(null);
        if (userId != null && !userId.equals(owner)) {
            return Optional.empty();
        }
        String status = ev.path("status").asText();
        if (status.equals("SUCCEEDED")) {
            for (JsonNode r : ev.path("results")) {
                Optional<Memory> m = read(r.path("id").asText(), userId, requestId);
                if (m.isPresent()) {
                    return m;
                }
            }
            return Optional.empty();
        }
        Map<String, Object> meta = MetadataCodec.plain(payload.get("metadata"));
        OmpFields f = MetadataCodec.decode(meta);
        Memory.Builder b = Memory.builder().id(EVENT_PREFIX + eventId)
                .content(payload.path("messages").path(0).path("content").asText("(pending)"))
                .status(status.equals("FAILED") ? MemoryStatus.FAILED : status.equals("RUNNING") ? MemoryStatus.INDEXING
                        : MemoryStatus.QUEUED);
        // The event's own time and owner, over whatever the add's metadata said.
        f.applyTo(b).createdAt(Mem0Memories.time(ev, "created_at")).userId(owner)
                .extensions(withEvent(f.extensions(), eventId, status));
        return Optional.of(b.build());
    }

    /** A queued memory's extensions: the caller's, and the event in {@code x-mem0}. */
    private static Map<String, Object> withEvent(Map<String, Object> extensions, String eventId, String status) {
        Map<String, Object> ext = new LinkedHashMap<>(extensions);
        ext.put(Mem0Memories.EXTENSION, Map.of("event_id", eventId, "event_status", status));
        return ext;
    }

    private static ProviderException nothingStored(String eventId) {
        return new ProviderException("mem0: event " + eventId + " stored no memory", ErrorDetails.provider("mem0"));
    }

    // ---------------------------------------------------------------- health and life cycle

    /**
     * Healthy when the vendor answered any call in the last 30 s; else one cheap call that costs no
     * memory operation (platform {@code GET /v1/ping/}, self-hosted an empty list), so that a
     * health probe every few seconds does not spend paid calls.
     */
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
        return "Mem0Provider[" + (settings.platform() ? "platform" : "oss") + " at " + settings.baseUrl() + "]";
    }

    static boolean uuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
