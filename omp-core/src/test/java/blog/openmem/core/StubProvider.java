package blog.openmem.core;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny provider that counts every call, for facade tests (not a conformance reference). */
public class StubProvider implements MemoryProvider {
    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger capabilityCalls = new AtomicInteger();
    public final Map<String, Memory> store = new ConcurrentHashMap<>();
    public volatile boolean closed;
    public volatile List<SearchResult> searchAnswer;
    private final Set<Verb> verbs;
    private final AtomicInteger ids = new AtomicInteger();

    public StubProvider(Set<Verb> verbs) {
        this.verbs = verbs;
    }

    public StubProvider() {
        this(Set.of(Verb.ADD, Verb.GET, Verb.UPDATE, Verb.DELETE, Verb.LIST, Verb.SEARCH, Verb.CONTEXT));
    }

    @Override
    public Capabilities capabilities() {
        capabilityCalls.incrementAndGet();
        return Capabilities.of("stub", verbs, new Features(false, true, false, false, ScopeSupport.NATIVE, 100,
                false, false, false, null), new Limits(null, 20, null));
    }

    @Override
    public Memory add(MemoryInput in, CallContext ctx) {
        calls.incrementAndGet();
        Memory m = Memory.builder().id("m" + ids.incrementAndGet()).content(in.content()).userId(in.userId())
                .scope(in.scope()).createdAt(Instant.now()).status(MemoryStatus.DONE).build();
        store.put(m.id(), m);
        return m;
    }

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        calls.incrementAndGet();
        return Optional.ofNullable(store.get(id)).filter(m -> userId == null || m.userId().equals(userId));
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate u, CallContext ctx) {
        calls.incrementAndGet();
        return get(id, userId, ctx).map(m -> {
            Memory n = u.applyTo(m, Instant.now());
            store.put(id, n);
            return n;
        });
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        calls.incrementAndGet();
        return get(id, userId, ctx).map(m -> store.remove(id) != null).orElse(false);
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        calls.incrementAndGet();
        return new MemoryPage(new ArrayList<>(store.values()), null);
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        calls.incrementAndGet();
        if (searchAnswer != null) {
            return searchAnswer;
        }
        return store.values().stream().filter(m -> m.userId().equals(q.userId()))
                .map(m -> new SearchResult(m, 0.5)).limit(q.limit()).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
