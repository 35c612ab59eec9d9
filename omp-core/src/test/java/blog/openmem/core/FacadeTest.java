package blog.openmem.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.Patch;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FacadeTest {

    @Test
    void unadvertisedVerbFailsBeforeAnyProviderCall() {
        StubProvider p = new StubProvider(Set.of(Verb.ADD));
        try (var m = blog.openmem.core.Memory.of(p)) {
            UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
                    () -> m.audit(AuditQuery.of("u")));
            assertEquals("unsupported_capability", e.code());
            assertEquals(400, e.httpStatus());
            assertTrue(e.getMessage().contains("audit"), e.getMessage());
            assertThrows(UnsupportedCapabilityException.class, () -> m.search("u", "q"));
            assertThrows(UnsupportedCapabilityException.class, () -> m.get("x"));
            assertEquals(0, p.calls.get(), "no provider call was made");
        }
    }

    /** A provider that ignores the read confinement gives fewer results, never one outside it. */
    @Test
    void aConfinedViewNeverReturnsMemoriesOutsideItsScopes() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            m.add(MemoryInput.builder("u", "work note").scope("work/a").build());
            m.add(MemoryInput.builder("u", "health note").scope("health").build());
            m.add(MemoryInput.of("u", "unscoped note"));
            var confined = m.confinedTo(List.of(blog.openmem.spi.scope.ScopePattern.parse("work")));
            assertEquals(List.of("work note"), confined.list("u").items().stream().map(Memory::content).toList());
            assertEquals(List.of("work note"), confined.search("u", "note").stream()
                    .map(r -> r.memory().content()).toList());
            assertEquals(1, confined.context("u", "note", 500).citations().size());
            assertEquals(3, m.list("u").items().size(), "the unconfined client is unchanged");
            assertEquals(0, m.confinedTo(List.of()).search("u", "note").size(), "no pattern reads nothing");
        }
    }

    /** A provider with a native asynchronous path, ignoring the read confinement as the stub does. */
    static final class AsyncStubProvider extends StubProvider implements blog.openmem.spi.AsyncMemoryProvider {
        @Override
        public java.util.concurrent.CompletableFuture<Memory> addAsync(MemoryInput input,
                                                                       blog.openmem.spi.CallContext ctx) {
            return java.util.concurrent.CompletableFuture.completedFuture(add(input, ctx));
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<SearchResult>> searchAsync(SearchQuery query,
                                                                                   blog.openmem.spi.CallContext ctx) {
            return java.util.concurrent.CompletableFuture.completedFuture(search(query, ctx));
        }
    }

    /** The native asynchronous search of a confined view drops what lies outside, as the synchronous one. */
    @Test
    void aConfinedViewsNativeAsyncSearchNeverReturnsMemoriesOutsideItsScopes() throws Exception {
        try (var m = blog.openmem.core.Memory.of(new AsyncStubProvider())) {
            m.add(MemoryInput.builder("u", "work note").scope("work/a").build());
            m.add(MemoryInput.builder("u", "health note").scope("health").build());
            var confined = m.confinedTo(List.of(blog.openmem.spi.scope.ScopePattern.parse("work")));
            try (AsyncMemory async = AsyncMemory.of(confined); AsyncMemory all = AsyncMemory.of(m)) {
                assertEquals(List.of("work note"), async.search(SearchQuery.builder("u", "note").build())
                        .get(5, TimeUnit.SECONDS).stream().map(r -> r.memory().content()).toList());
                assertEquals(2, all.search(SearchQuery.builder("u", "note").build()).get(5, TimeUnit.SECONDS).size(),
                        "the unconfined client is unchanged");
            }
        }
    }

    /** Keys are per app: the provider sees a different stored key for each app, the same for a repeat. */
    @Test
    void idempotencyKeysAreScopedPerApp() {
        List<String> seen = new java.util.ArrayList<>();
        StubProvider p = new StubProvider() {
            @Override
            public blog.openmem.spi.model.Capabilities capabilities() {
                blog.openmem.spi.model.Capabilities c = super.capabilities();
                return new blog.openmem.spi.model.Capabilities(c.ompVersion(), c.provider(), c.verbs(),
                        c.features().withExtra("idempotent_add", true), c.limits(), null);
            }

            @Override
            public blog.openmem.spi.model.AddOutcome addIdempotent(MemoryInput input,
                                                                   blog.openmem.spi.CallContext ctx) {
                seen.add(ctx.idempotencyKey());
                return new blog.openmem.spi.model.AddOutcome(add(input, ctx), true);
            }
        };
        try (var m = blog.openmem.core.Memory.of(p)) {
            m.addIdempotent(MemoryInput.of("u", "a"), "k1");
            m.withApp("one").addIdempotent(MemoryInput.of("u", "a"), "k1");
            m.withApp("two").addIdempotent(MemoryInput.of("u", "a"), "k1");
            m.withApp("one").addIdempotent(MemoryInput.of("u", "a"), "k1");
            assertEquals("k1", seen.get(0), "without an app the key is the caller's");
            assertEquals(3, new java.util.HashSet<>(seen).size());
            assertEquals(seen.get(1), seen.get(3));
            assertTrue(seen.get(1).matches("[0-9a-f]{64}"), seen.get(1));
        }
    }

    /** Without a provider that stores keys, a keyed add is refused before any call, never a silent plain add. */
    @Test
    void aKeyedAddOnAProviderThatCannotDeduplicateIsRefused() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            m.capabilities();
            int before = p.calls.get();
            UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
                    () -> m.addIdempotent(MemoryInput.of("u", "a"), "k1"));
            assertTrue(e.getMessage().startsWith("Idempotency-Key:"), e.getMessage());
            assertEquals(before, p.calls.get());
            assertTrue(p.store.isEmpty());
        }
    }

    @Test
    void capabilitiesAreCachedPerInstance() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            int before = p.capabilityCalls.get();
            for (int i = 0; i < 5; i++) {
                m.capabilities();
                m.add("u", "x" + i);
            }
            assertEquals(before + 1, p.capabilityCalls.get());
        }
    }

    @Test
    void validationHappensBeforeAnyProviderCall() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            assertThrows(InvalidRequestException.class, () -> m.add(" ", "c"));
            InvalidRequestException tooLong = assertThrows(InvalidRequestException.class,
                    () -> m.add("u", "x".repeat(101)));
            assertTrue(tooLong.getMessage().contains("at most 100"), "uses the provider's max_content_length");
            assertThrows(InvalidRequestException.class, () -> m.search(SearchQuery.builder("u", "q").limit(21).build()),
                    "limit is capped by limits.max_search_results");
            assertThrows(InvalidRequestException.class, () -> m.list(ListQuery.builder("u").limit(0).build()));
            assertThrows(InvalidRequestException.class, () -> m.update("id",
                    MemoryUpdate.builder().contentPatch(Patch.clear()).build()));
            assertThrows(InvalidRequestException.class, () -> m.get(" "));
            assertThrows(InvalidRequestException.class, () -> m.context("u", "", 10));
            assertEquals(0, p.calls.get());
        }
    }

    @Test
    void missingIsNotFoundOnEveryVerbWithRequestId() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            Memory a = m.add("alice", "hello");
            NotFoundException e = assertThrows(NotFoundException.class, () -> m.get("nope"));
            assertTrue(e.requestId().orElseThrow().startsWith("req_"));
            assertEquals("stub", e.provider().orElseThrow());
            assertThrows(NotFoundException.class, () -> m.get(a.id(), "bob"), "D-2: another user's memory is 404");
            assertThrows(NotFoundException.class, () -> m.update("nope", MemoryUpdate.builder().content("x").build()));
            assertThrows(NotFoundException.class, () -> m.delete(a.id(), "bob"));
            m.delete(a.id(), "alice");
            assertThrows(NotFoundException.class, () -> m.delete(a.id()), "D-12");
            assertTrue(m.find(a.id(), null).isEmpty());
        }
    }

    @Test
    void aProviderThatLeaksAnotherUsersMemoryFailsLoudly() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            Memory bobs = m.add("bob", "bob's secret");
            p.searchAnswer = List.of(new SearchResult(bobs, 0.9));
            ProviderException e = assertThrows(ProviderException.class, () -> m.search("alice", "secret"));
            assertTrue(e.getMessage().contains("another user"));
            assertThrows(ProviderException.class, () -> m.context("alice", "secret", 100));
        }
    }

    @Test
    void unexpectedProviderFailuresBecomeProviderErrors() {
        StubProvider p = new StubProvider() {
            @Override
            public List<SearchResult> search(SearchQuery q, blog.openmem.spi.CallContext ctx) {
                throw new IllegalStateException("db password is hunter2");
            }
        };
        try (var m = blog.openmem.core.Memory.of(p)) {
            ProviderException e = assertThrows(ProviderException.class, () -> m.search("u", "q"));
            assertTrue(!e.getMessage().contains("hunter2"), "the cause's message is not copied into ours");
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void contextIsAssembledFromSearchWithinBudget() {
        StubProvider p = new StubProvider();
        try (var m = blog.openmem.core.Memory.of(p)) {
            for (int i = 0; i < 10; i++) {
                m.add("u", "memory number " + i + " about tea and coffee");
            }
            ContextBlock b = m.context("u", "tea", 30);
            assertTrue(b.tokenCount() <= 30);
            assertEquals(m.tokenCounter().count(b.text()), b.tokenCount());
            assertTrue(b.citations().size() >= 1);
            b.citations().forEach(c -> assertTrue(b.text().contains("[" + c.memoryId() + "]")));
        }
    }

    @Test
    void closeClosesTheProviderAndViewsDoNot() {
        StubProvider p = new StubProvider();
        var m = blog.openmem.core.Memory.builder().provider(p).app("cli").build();
        m.withApp("other").close();
        assertEquals(false, p.closed);
        m.close();
        assertTrue(p.closed);
        assertThrows(IllegalStateException.class, () -> m.add("u", "x"));
    }

    @Test
    void streamWalksAllPages() {
        StubProvider p = new StubProvider() {
            @Override
            public blog.openmem.spi.model.MemoryPage list(ListQuery q, blog.openmem.spi.CallContext ctx) {
                int start = q.cursor() == null ? 0 : Integer.parseInt(q.cursor());
                List<Memory> items = new java.util.ArrayList<>();
                for (int i = start; i < Math.min(7, start + q.limit()); i++) {
                    items.add(Memory.builder().id("m" + i).content("c").userId(q.userId()).createdAt(Instant.EPOCH)
                            .build());
                }
                return new blog.openmem.spi.model.MemoryPage(items, start + q.limit() < 7
                        ? String.valueOf(start + q.limit()) : null);
            }
        };
        try (var m = blog.openmem.core.Memory.of(p)) {
            assertEquals(7, m.stream(ListQuery.builder("u").limit(3).build()).count());
        }
    }

    @Test
    void asyncMemoryRunsVerbsAndRejectsWhenFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        StubProvider p = new StubProvider() {
            @Override
            public List<SearchResult> search(SearchQuery q, blog.openmem.spi.CallContext ctx) {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
        };
        var sync = blog.openmem.core.Memory.of(p);
        try (AsyncMemory am = AsyncMemory.of(sync, true, 1, 1)) {
            Memory added = am.add(MemoryInput.of("u", "hello")).get(5, TimeUnit.SECONDS);
            assertEquals("hello", am.get(added.id(), "u").get(5, TimeUnit.SECONDS).content());
            CompletionException invalid = assertThrows(CompletionException.class, () -> am.add(
                    MemoryInput.of("", "x")).join());
            assertInstanceOf(InvalidRequestException.class, invalid.getCause());

            var running = am.search(SearchQuery.builder("u", "q").build());
            assertTrue(started.await(5, TimeUnit.SECONDS));
            // One call runs, one waits in the queue of one; the next is refused immediately.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            var queued = am.search(SearchQuery.builder("u", "q").build());
            CompletionException full = assertThrows(CompletionException.class,
                    () -> am.search(SearchQuery.builder("u", "q").build()).join());
            assertTrue(System.nanoTime() < deadline);
            assertEquals("provider_unavailable", ((OmpException) full.getCause()).code());
            release.countDown();
            assertEquals(List.of(), running.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(), queued.get(5, TimeUnit.SECONDS));
        }
        assertTrue(p.closed, "an owning AsyncMemory closes its Memory");
    }
}
