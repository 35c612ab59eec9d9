package blog.openmem.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.RateLimitedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.model.MemoryInput;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the adapter behaves when Mem0 misbehaves, counting every request the simulator receives. */
class Mem0FailureTest {
    final Mem0PlatformSim sim = (Mem0PlatformSim) new Mem0PlatformSim().start();
    final String user = "u-" + java.util.UUID.randomUUID();

    Memory memory(String... settings) {
        return sim.client("mem0", Mem0PlatformSim.API_KEY, settings);
    }

    @AfterEach
    void clean() {
        sim.closeChecked();
    }

    @Test
    void a429IsRetriedAfterRetryAfterOnReadsAndReportedOnAdds() {
        try (Memory m = memory()) {
            String id = m.add(user, "likes tea").id();
            int before = sim.requestCount();
            sim.inject(Fault.rateLimited(1));
            long t0 = System.nanoTime();
            assertEquals("likes tea", m.get(id, user).content());
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "waited the Retry-After second");
            assertEquals(before + 2, sim.requestCount());
            sim.inject(Fault.rateLimited(7));
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> m.add(user, "not twice"));
            assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
            assertEquals(before + 3, sim.requestCount(), "an add is never retried: Mem0 keeps no idempotency keys");
            assertEquals(1, sim.memoryCount());
        }
    }

    @Test
    void a503ThenSuccessIsOneRetryForSearchAndNoRetryForAdd() {
        try (Memory m = memory()) {
            m.add(user, "likes green tea");
            int before = sim.requestCount();
            sim.inject(Fault.status(503, "{\"detail\":\"busy\"}"));
            assertEquals(1, m.search(user, "tea").size());
            assertEquals(before + 3, sim.requestCount(), "the failed search, its retry, and the supersession list");
            sim.inject(Fault.status(503, "{\"detail\":\"busy\"}"));
            assertThrows(ProviderUnavailableException.class, () -> m.add(user, "once only"));
            assertEquals(before + 4, sim.requestCount());
            assertEquals(1, sim.memoryCount(), "no duplicate and no lost write: the add had no effect and said so");
        }
    }

    @Test
    void aConnectionResetIsRetriedForReadsOnly() {
        try (Memory m = memory()) {
            String id = m.add(user, "reset me").id();
            int before = sim.requestCount();
            sim.inject(Fault.reset());
            assertEquals("reset me", m.get(id, user).content());
            assertEquals(before + 2, sim.requestCount());
            sim.inject(Fault.reset());
            assertThrows(OmpException.class, () -> m.add(user, "maybe"));
            assertEquals(before + 3, sim.requestCount());
            assertEquals(1, sim.memoryCount());
        }
    }

    @Test
    void theDeadlineEndsAStalledCall() {
        try (Memory m = memory("max_attempts", "1", "request_timeout", "300ms", "deadline", "500ms")) {
            sim.inject(Fault.stall());
            long t0 = System.nanoTime();
            assertThrows(ProviderUnavailableException.class, () -> m.list(user));
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
            assertEquals(1, sim.requestCount());
        }
    }

    @Test
    void malformedJsonIsAProviderErrorNotACrash() {
        try (Memory m = memory()) {
            sim.inject(Fault.status(200, "{\"results\": [ not json"));
            ProviderException e = assertThrows(ProviderException.class, () -> m.list(user));
            assertEquals("provider_error", e.code());
            assertEquals(1, sim.requestCount());
        }
    }

    @Test
    void aRejectedKeyIsUnauthorized() {
        try (Memory m = Memory.builder().config("mem0").setting("base_url", sim.url()).setting("api_key", "wrong-key")
                .build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> m.list(user));
            assertEquals(401, e.httpStatus());
            assertEquals(1, sim.requestCount());
        }
    }

    @Test
    void theCircuitOpensAfterFailuresAndClosesWhenMem0Recovers() throws Exception {
        try (Memory m = memory("max_attempts", "1", "circuit_window", "2", "circuit_min_calls", "2",
                "circuit_failure_rate", "50", "circuit_open_for", "400ms")) {
            sim.inject(Fault.status(503, "{}"), Fault.status(503, "{}"));
            assertThrows(ProviderUnavailableException.class, () -> m.list(user));
            assertThrows(ProviderUnavailableException.class, () -> m.list(user));
            ProviderUnavailableException open = assertThrows(ProviderUnavailableException.class, () -> m.list(user));
            assertTrue(open.getMessage().contains("circuit"), open.getMessage());
            assertEquals(2, sim.requestCount(), "an open circuit sends nothing");
            Thread.sleep(600);
            assertEquals(0, m.list(user).items().size());
            assertEquals(0, m.list(user).items().size());
            assertEquals(4, sim.requestCount());
        }
    }

    @Test
    void aFailedExtractionIsReportedAndAQueuedAddBecomesItsMemory() {
        try (Memory m = memory("infer", "true", "ingestion_timeout", "5s")) {
            sim.pollsUntilDone(2);
            blog.openmem.spi.model.Memory queued = m.add(MemoryInput.builder(user, "I moved to Austin").scope("home")
                    .build());
            assertEquals(blog.openmem.spi.model.MemoryStatus.QUEUED, queued.status());
            assertTrue(queued.id().startsWith("evt_"), queued.id());
            blog.openmem.spi.model.Memory running = m.get(queued.id(), user);
            assertEquals(blog.openmem.spi.model.MemoryStatus.INDEXING, running.status());
            assertEquals("home", running.scope());
            blog.openmem.spi.model.Memory done = m.get(queued.id(), user);
            assertEquals(blog.openmem.spi.model.MemoryStatus.DONE, done.status());
            assertEquals("I moved to Austin", done.content());
            assertEquals("home", done.scope());
            assertEquals(done.id(), m.get(done.id(), user).id(), "the stored memory under Mem0's own id");
            sim.failNextEvent();
            blog.openmem.spi.model.Memory doomed = m.add(MemoryInput.of(user, "never stored"));
            m.get(doomed.id(), user);
            assertEquals(blog.openmem.spi.model.MemoryStatus.FAILED, m.get(doomed.id(), user).status());
            ProviderException e = assertThrows(ProviderException.class, () -> m.delete(doomed.id(), user));
            assertInstanceOf(ProviderException.class, e);
            assertTrue(e.getMessage().contains("failed"), e.getMessage());
        }
    }
}
