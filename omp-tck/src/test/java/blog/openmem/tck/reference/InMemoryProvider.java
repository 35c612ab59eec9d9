package blog.openmem.tck.reference;

import blog.openmem.core.embed.HashEmbedder;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.Limits;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The reference provider the TCK is proven on: the whole contract in plain Java collections.
 * It lives only in omp-tck's tests and is never registered for applications.
 */
public class InMemoryProvider implements MemoryProvider {
    static final Comparator<Memory> NEWEST_FIRST = Comparator.comparing(Memory::createdAt)
            .thenComparing(Memory::id).reversed();

    private final Map<String, Memory> rows = new LinkedHashMap<>();
    private final Map<String, float[]> vectors = new java.util.HashMap<>();
    private final List<Map.Entry<String, AuditEntry>> audit = new ArrayList<>();
    private final Map<String, String> idempotencyKeys = new java.util.HashMap<>();
    private final HashEmbedder embedder = new HashEmbedder(256);
    private Instant lastCreated = Instant.EPOCH;
    private Instant lastAudit = Instant.EPOCH;

    @Override
    public Capabilities capabilities() {
        return Capabilities.of("inmemory-test", EnumSet.allOf(Verb.class),
                new Features(true, true, false, true, ScopeSupport.NATIVE, 10_000, false, true, true, null)
                        .withExtra("idempotent_add", true).withExtra(Features.LIST_USERS, true)
                        .withExtra(Features.KEEPS_CREATED_AT, true),
                new Limits(null, 100, null));
    }

    @Override
    public synchronized Optional<Memory> findByIdempotencyKey(String userId, String key, CallContext ctx) {
        return Optional.ofNullable(idempotencyKeys.get(userId + "\u0000" + key)).map(rows::get);
    }

    @Override
    public synchronized List<Memory> importAll(List<ImportedMemory> items, CallContext ctx) {
        List<Memory> out = new java.util.ArrayList<>();
        for (ImportedMemory i : items) {
            Memory m = add(i.input(), ctx).toBuilder().createdAt(i.createdAt().truncatedTo(ChronoUnit.MICROS)).build();
            rows.put(m.id(), m);
            out.add(m);
        }
        return out;
    }

    @Override
    public synchronized List<String> listUsers(String after, int limit, CallContext ctx) {
        return rows.values().stream().map(Memory::userId).distinct().sorted()
                .filter(u -> after == null || u.compareTo(after) > 0).limit(limit).toList();
    }

    @Override
    public synchronized Memory add(MemoryInput in, CallContext ctx) {
        if (ctx.idempotencyKey() != null) {
            Optional<Memory> earlier = findByIdempotencyKey(in.userId(), ctx.idempotencyKey(), ctx);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        lastCreated = now.isAfter(lastCreated) ? now : lastCreated.plus(1, ChronoUnit.MICROS);
        Memory m = Memory.builder().id("mem_" + UUID.randomUUID().toString().replace("-", ""))
                .content(in.content()).userId(in.userId()).createdAt(lastCreated).scope(in.scope()).tags(in.tags())
                .source(in.source()).confidence(in.confidence()).validFrom(in.validFrom()).validTo(in.validTo())
                .supersedes(in.supersedes()).embeddingModel(embedder.modelName()).status(MemoryStatus.DONE)
                .extensions(in.extensions()).build();
        rows.put(m.id(), m);
        if (ctx.idempotencyKey() != null) {
            idempotencyKeys.put(m.userId() + "\u0000" + ctx.idempotencyKey(), m.id());
        }
        vectors.put(m.id(), embedder.embed(m.content()));
        String app = ctx.app() != null ? ctx.app() : (in.source() != null ? in.source().app() : null);
        log(m.userId(), ctx, app, Verb.ADD, m.id(), m.scope());
        return m;
    }

    @Override
    public synchronized Optional<Memory> get(String id, String userId, CallContext ctx) {
        Optional<Memory> m = owned(id, userId);
        m.ifPresent(x -> log(x.userId(), ctx, ctx.app(), Verb.GET, x.id(), x.scope()));
        return m;
    }

    @Override
    public synchronized Optional<Memory> update(String id, String userId, MemoryUpdate u, CallContext ctx) {
        Optional<Memory> m = owned(id, userId);
        m.ifPresent(old -> {
            Memory n = u.applyTo(old, Instant.now());
            rows.put(id, n);
            if (!n.content().equals(old.content())) {
                vectors.put(id, embedder.embed(n.content()));
            }
            log(n.userId(), ctx, ctx.app(), Verb.UPDATE, id, n.scope());
        });
        return m.map(x -> rows.get(id));
    }

    @Override
    public synchronized boolean delete(String id, String userId, CallContext ctx) {
        Optional<Memory> m = owned(id, userId);
        m.ifPresent(x -> {
            rows.remove(id);
            vectors.remove(id);
            log(x.userId(), ctx, ctx.app(), Verb.DELETE, id, x.scope());
        });
        return m.isPresent();
    }

    @Override
    public synchronized MemoryPage list(ListQuery q, CallContext ctx) {
        Memory after = q.cursor() == null ? null : decodeCursor(q.cursor());
        List<Memory> matching = rows.values().stream()
                .filter(m -> m.userId().equals(q.userId()))
                .filter(m -> q.scope() == null || inScope(q.scope(), m.scope()))
                .filter(m -> q.tag() == null || (m.tags() != null && m.tags().contains(q.tag())))
                .filter(m -> q.since() == null || !m.createdAt().isBefore(q.since()))
                .filter(m -> q.until() == null || !m.createdAt().isAfter(q.until()))
                .filter(m -> after == null || afterCursor(m, after))
                .sorted(NEWEST_FIRST).limit(q.limit() + 1L).toList();
        log(q.userId(), ctx, ctx.app(), Verb.LIST, null, q.scope());
        if (matching.size() <= q.limit()) {
            return new MemoryPage(matching, null);
        }
        List<Memory> page = matching.subList(0, q.limit());
        return new MemoryPage(page, encodeCursor(page.get(page.size() - 1)));
    }

    @Override
    public synchronized List<SearchResult> search(SearchQuery q, CallContext ctx) {
        Instant at = q.asOf() != null ? q.asOf() : Instant.now();
        Set<String> superseded = new HashSet<>();
        rows.values().stream().filter(m -> m.userId().equals(q.userId()) && m.supersedes() != null)
                .forEach(m -> superseded.addAll(m.supersedes()));
        float[] qv = embedder.embed(q.query());
        Set<String> qWords = words(q.query());
        List<SearchResult> out = rows.values().stream()
                .filter(m -> visibleTo(m, q.userId()))
                .filter(m -> q.scope() == null || inScope(q.scope(), m.scope()))
                .filter(m -> q.includeSuperseded() || !hidesSuperseded() || !superseded.contains(m.id()))
                .filter(m -> current(m, at))
                .map(m -> new SearchResult(m, score(qv, qWords, m)))
                .filter(r -> r.score() > 0)
                .filter(r -> q.minScore() == null || r.score() >= q.minScore())
                .sorted(Comparator.comparingDouble(SearchResult::score).reversed()
                        .thenComparing(r -> r.memory().id()))
                .limit(q.limit()).toList();
        Verb op = ctx.operation() == Verb.CONTEXT ? Verb.CONTEXT : Verb.SEARCH;
        log(q.userId(), ctx, ctx.app(), op, null, q.scope());
        return out;
    }

    @Override
    public synchronized List<AuditEntry> audit(AuditQuery q, CallContext ctx) {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = audit.size() - 1; i >= 0 && out.size() < q.limit(); i--) {
            Map.Entry<String, AuditEntry> e = audit.get(i);
            AuditEntry a = e.getValue();
            if (e.getKey().equals(q.userId()) && (q.app() == null || q.app().equals(a.app()))
                    && (q.since() == null || !a.timestamp().isBefore(q.since()))) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public void close() {
    }

    /** Hook for broken variants: whether search may return {@code m} to {@code userId}. */
    protected boolean visibleTo(Memory m, String userId) {
        return m.userId().equals(userId);
    }

    /** Hook for broken variants: the scope matcher. */
    protected boolean inScope(String pattern, String scope) {
        return ScopePattern.parse(pattern).matches(scope);
    }

    /** Hook for broken variants: keyset comparison with the cursor row. */
    protected boolean afterCursor(Memory m, Memory cursor) {
        return NEWEST_FIRST.compare(m, cursor) > 0;
    }

    /** Hook for broken variants: whether superseded memories are filtered. */
    protected boolean hidesSuperseded() {
        return true;
    }

    /** Hybrid score: cosine of hash vectors fused with the fraction of query words found. */
    private double score(float[] qv, Set<String> qWords, Memory m) {
        float[] v = vectors.get(m.id());
        double cos = 0;
        for (int i = 0; i < v.length; i++) {
            cos += qv[i] * v[i];
        }
        Set<String> words = words(m.content());
        long hits = qWords.stream().filter(words::contains).count();
        double kw = qWords.isEmpty() ? 0 : (double) hits / qWords.size();
        return Math.min(1.0, 0.5 * Math.max(0, cos) + 0.5 * kw);
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() > 2 || w.chars().allMatch(Character::isDigit)) {
                out.add(w);
            }
        }
        return out;
    }

    private static boolean current(Memory m, Instant at) {
        return (m.validFrom() == null || !m.validFrom().isAfter(at)) && (m.validTo() == null || m.validTo().isAfter(at));
    }

    private Optional<Memory> owned(String id, String userId) {
        return Optional.ofNullable(rows.get(id)).filter(m -> userId == null || m.userId().equals(userId));
    }

    private void log(String user, CallContext ctx, String app, Verb action, String memoryId, String scope) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        lastAudit = now.isAfter(lastAudit) ? now : lastAudit.plus(1, ChronoUnit.MICROS);
        audit.add(Map.entry(user, new AuditEntry(lastAudit, app, action, memoryId, scope, ctx.requestId())));
    }

    private static final String CURSOR_KEY = UUID.randomUUID().toString();

    private static String encodeCursor(Memory last) {
        String payload = last.createdAt().toString() + "|" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString((payload + "|" + check(payload))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Memory decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length == 3 && check(parts[0] + "|" + parts[1]).equals(parts[2])) {
                return Memory.builder().createdAt(Instant.parse(parts[0])).id(parts[1]).build();
            }
        } catch (RuntimeException ignored) {
            // fall through: any decoding problem is the same 400
        }
        throw new InvalidRequestException("cursor: malformed or not issued by this server");
    }

    private static String check(String payload) {
        CRC32 crc = new CRC32();
        crc.update((CURSOR_KEY + payload).getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
