package blog.openmem.letta;

import blog.openmem.core.vendor.ClientFilter;
import blog.openmem.core.vendor.Completion;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.OmpFields;
import blog.openmem.core.vendor.RecentAnswers;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * OMP on Letta's v1 archives. Each user has one archive ({@link Archives}); each memory is one or
 * more passages (a text longer than {@code max_passage_chars} is cut), all created at the
 * microsecond its id names ({@link LettaIds}), all tagged {@code omp-id:<id>} and carrying the OMP
 * fields in their metadata ({@link MetadataCodec}) with their part number. Passages are immutable
 * and no route lists an archive's passages, so update and list are not offered; Letta filters tags
 * after its result limit, so scopes and tags are filtered here, and supersession, which needs every
 * superseding memory of a user, is not offered either.
 */
final class LettaProvider implements MemoryProvider {
    private static final String PART = "omp_part";
    private static final String PARTS = "omp_parts";
    /** Letta's largest search. */
    private static final int MAX_HITS = 100;

    private final LettaApi api;
    private final Archives archives;
    private final AutoCloseable http;
    private final LettaSettings settings;
    private final Capabilities capabilities;
    private final RecentAnswers recent = RecentAnswers.thirtySeconds();

    LettaProvider(LettaApi api, AutoCloseable http, LettaSettings settings) {
        this.api = api;
        this.http = http;
        this.settings = settings;
        this.archives = new Archives(api, settings.embedding());
        this.capabilities = Capabilities.builder("letta")
                .verbs(Verb.ADD, Verb.GET, Verb.DELETE, Verb.SEARCH, Verb.CONTEXT)
                .vectorSearch(true).temporal(true).scopes(ScopeSupport.TAGS).supportsSupersession(false)
                .feature(Features.EXPORT, true).maxSearchResults(MAX_HITS).build();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    static String idTag(String id) {
        return "omp-id:" + id;
    }

    @Override
    public Memory add(MemoryInput in, CallContext ctx) {
        String id = LettaIds.next();
        Instant created = LettaIds.createdAt(id).orElseThrow();
        OmpFields fields = OmpFields.of(in, id, created);
        Map<String, Object> encoded = MetadataCodec.encode(fields);
        ObjectNode metadata = MetadataCodec.toJson(encoded);
        List<String> parts = split(in.content());
        List<String> tags = new ArrayList<>();
        tags.add(idTag(id));
        // Scope prefixes and tags as Letta tags too, for searches that Letta filters exactly (its
        // search filters tags after its limit, so this adapter filters them itself today).
        if (encoded.get(MetadataCodec.SCOPE_PREFIXES) instanceof List<?> prefixes) {
            prefixes.forEach(p -> tags.add("omp-scope:" + p));
        }
        if (in.tags() != null) {
            in.tags().forEach(t -> tags.add("omp-tag:" + t));
        }
        String archive = archives.findOrCreate(in.userId(), ctx.requestId());
        List<String> written = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                // One metadata object for every part: each write serialises it before the next part changes it.
                ObjectNode m = metadata.put(PART, i).put(PARTS, parts.size());
                JsonNode passage;
                try {
                    passage = api.addPassage(archive, parts.get(i), m, tags, created, ctx.requestId());
                } catch (NotFoundException gone) {
                    if (!written.isEmpty()) {
                        throw gone;
                    }
                    // The cached archive was deleted meanwhile: find or create the user's again.
                    archives.forget(in.userId());
                    archive = archives.findOrCreate(in.userId(), ctx.requestId());
                    passage = api.addPassage(archive, parts.get(i), m, tags, created, ctx.requestId());
                }
                written.add(passage.path("id").asText());
            }
        } catch (RuntimeException e) {
            // A memory is all its parts or nothing: the parts written are removed (reads would not
            // show them anyway), and the caller learns that nothing was added.
            for (String passage : written) {
                try {
                    api.deletePassage(archive, passage, ctx.requestId());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        Memory.Builder b = Memory.builder().id(id).content(in.content()).createdAt(created).status(MemoryStatus.DONE);
        fields.applyTo(b).createdAt(created);
        return recent.answered(b.build());
    }

    private List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int max = settings.maxPassageChars();
        for (int i = 0; i < text.length(); ) {
            int end = Math.min(text.length(), i + max);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never cut a surrogate pair
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        Optional<Instant> at = LettaIds.createdAt(id);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        // Without a user, the whole organisation's passages of that microsecond and tag.
        Optional<String> archive = userId == null ? Optional.of("") : archives.find(userId, ctx.requestId());
        if (archive.isEmpty()) {
            return recent.answered(Optional.empty());
        }
        return recent.answered(assemble(id, userId, passages(archive.get(), id, at.get(), ctx.requestId())));
    }

    /**
     * The passages of one memory: those created at its microsecond that carry its tag.
     *
     * @param archive the user's archive, or empty for any
     */
    private List<JsonNode> passages(String archive, String id, Instant at, String requestId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : api.search(archive.isEmpty() ? null : archive, null, List.of(idTag(id)), at, at, MAX_HITS,
                requestId)) {
            JsonNode p = r.path("passage");
            if (id.equals(p.path("metadata").path(MetadataCodec.ID).asText(null))) {
                out.add(p);
            }
        }
        return out;
    }

    /** @return the memory, when every part is there and it is the user's (any user's when null) */
    private static Optional<Memory> assemble(String id, String userId, List<JsonNode> passages) {
        TreeMap<Integer, JsonNode> parts = new TreeMap<>();
        for (JsonNode p : passages) {
            parts.putIfAbsent(p.path("metadata").path(PART).asInt(0), p); // a retried write repeats a part
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = parts.firstEntry().getValue();
        OmpFields f = MetadataCodec.decode(MetadataCodec.plain(first.get("metadata")));
        int expected = first.path("metadata").path(PARTS).asInt(1);
        if (parts.size() != expected || parts.lastKey() != expected - 1
                || userId != null && !userId.equals(f.userId())) {
            return Optional.empty(); // an add that failed half way, or another user's
        }
        StringBuilder text = new StringBuilder();
        parts.values().forEach(p -> text.append(p.path("text").asText()));
        Instant created = f.createdAt() != null ? f.createdAt() : LettaIds.createdAt(id).orElseThrow();
        Memory.Builder b = Memory.builder().id(id).content(text.toString()).createdAt(created)
                .status(MemoryStatus.DONE);
        f.applyTo(b).createdAt(created);
        return Optional.of(b.build());
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        Optional<Instant> at = LettaIds.createdAt(id);
        if (at.isEmpty()) {
            return false;
        }
        Optional<String> archive = userId == null ? Optional.of("") : archives.find(userId, ctx.requestId());
        if (archive.isEmpty()) {
            return recent.answered(false);
        }
        // Every passage of the memory goes, a half-written one's too; never another user's.
        List<JsonNode> passages = passages(archive.get(), id, at.get(), ctx.requestId()).stream()
                .filter(p -> userId == null || userId.equals(p.path("metadata").path(MetadataCodec.USER).asText(null)))
                .toList();
        boolean any = false;
        for (JsonNode p : passages) {
            any |= api.deletePassage(p.path("archive_id").asText(), p.path("id").asText(), ctx.requestId());
        }
        return recent.answered(any);
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        Optional<String> archive = archives.find(q.userId(), ctx.requestId());
        if (archive.isEmpty()) {
            return recent.answered(List.of());
        }
        List<JsonNode> hits = api.search(archive.get(), q.query(), null, null, null, MAX_HITS, ctx.requestId());
        // One result per memory, at its best passage (the first: Letta answers best first).
        Map<String, JsonNode> best = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            String id = h.path("passage").path("metadata").path(MetadataCodec.ID).asText(null);
            if (id != null) {
                best.putIfAbsent(id, h);
            }
        }
        Predicate<Memory> keep = ClientFilter.search(q, ctx.readScopes(), Set.of(), Instant.now());
        List<SearchResult> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : best.entrySet()) {
            JsonNode passage = e.getValue().path("passage");
            Optional<Memory> m = passage.path("metadata").path(PARTS).asInt(1) == 1
                    ? assemble(e.getKey(), q.userId(), List.of(passage))
                    : get(e.getKey(), q.userId(), ctx);
            double score = score(e.getValue());
            if (m.isPresent() && keep.test(m.get()) && ClientFilter.meetsMinScore(q, score)) {
                out.add(new SearchResult(m.get(), score));
            }
            if (out.size() == q.limit()) {
                break;
            }
        }
        if (hits.size() >= MAX_HITS) {
            Completion.searchCut("letta", out.size(), q.limit(), MAX_HITS);
        }
        return recent.answered(out);
    }

    /**
     * Letta's relevance score, kept in [0, 1] (monotone: the order is Letta's). Archives kept in
     * Letta's own database answer 0 for every hit (ranked by similarity all the same).
     */
    private static double score(JsonNode hit) {
        double s = hit.path("score").asDouble(0);
        return Double.isNaN(s) ? 0 : Math.max(0, Math.min(1, s));
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        throw new UnsupportedCapabilityException("letta: passages cannot be edited; update is not offered");
    }

    @Override
    public MemoryPage list(ListQuery query, CallContext ctx) {
        throw new UnsupportedCapabilityException("letta: no route lists an archive's passages; list is not offered");
    }

    /**
     * A user's memories oldest first, by passage searches without a query (Letta answers those in
     * {@code created_at} order) from the cursor's time on, inclusive. A memory's passages all carry
     * its microsecond, so a full answer's last microsecond may be cut: its memories are left to the
     * next page, which starts there. The cursor is that time; it never leaves the client.
     */
    @Override
    public MemoryPage exportPage(String userId, String cursor, CallContext ctx) {
        Instant from;
        try {
            from = cursor == null ? null : Instant.parse(cursor);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidRequestException("cursor: not a cursor of this provider", ErrorDetails.provider("letta"));
        }
        Optional<String> archive = archives.find(userId, ctx.requestId());
        if (archive.isEmpty()) {
            return new MemoryPage(List.of(), null);
        }
        List<JsonNode> hits = api.search(archive.get(), null, null, from, null, MAX_HITS, ctx.requestId());
        boolean full = hits.size() >= MAX_HITS;
        Instant last = full ? Instant.parse(hits.get(hits.size() - 1).path("passage").path("created_at").asText())
                : null;
        Map<String, List<JsonNode>> byId = new LinkedHashMap<>();
        for (JsonNode h : hits) {
            JsonNode p = h.path("passage");
            String id = p.path("metadata").path(MetadataCodec.ID).asText(null);
            if (id != null && (last == null || LettaIds.createdAt(id).map(t -> t.isBefore(last)).orElse(false))) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
            }
        }
        if (full && byId.isEmpty()) {
            throw new ProviderException("letta: more than " + MAX_HITS + " passages share the time " + last
                    + "; the user's memories cannot be read page by page", ErrorDetails.provider("letta"));
        }
        List<Memory> items = new ArrayList<>();
        byId.forEach((id, passages) -> assemble(id, userId, passages).ifPresent(items::add));
        return new MemoryPage(items, full ? last.toString() : null);
    }

    /** Healthy when Letta answered any call in the last 30 s; else one cheap archives read. */
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
        return "LettaProvider[" + settings.baseUrl() + "]";
    }
}
