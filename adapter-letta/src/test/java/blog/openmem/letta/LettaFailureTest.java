package blog.openmem.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.LettaSim;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.RateLimitedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.model.MemoryInput;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the adapter behaves when Letta misbehaves, counting every request the simulator receives. */
class LettaFailureTest {
    final LettaSim sim = (LettaSim) new LettaSim().start();
    final String user = "u-" + java.util.UUID.randomUUID();

    Memory memory(String... settings) {
        return sim.client("letta", LettaSim.API_KEY, settings);
    }

    @AfterEach
    void clean() {
        sim.closeChecked();
    }

    @Test
    void aLockedPassageWriteIsRetriedAndStoredOnce() {
        try (Memory m = memory()) {
            m.add(user, "first"); // the archive exists from here on
            int before = sim.requestCount();
            sim.inject(Fault.status(409, "{\"detail\":\"The resource is currently locked by another operation."
                    + " Please retry shortly.\"}"));
            String id = m.add(user, "second").id();
            assertEquals(before + 2, sim.requestCount(), "the locked write and its retry");
            assertEquals(2, sim.passageCount());
            assertEquals("second", m.get(id, user).content());
        }
    }

    @Test
    void a429WaitsForRetryAfterAndA5xxIsRetried() {
        try (Memory m = memory()) {
            String id = m.add(user, "likes tea").id();
            int before = sim.requestCount();
            sim.inject(Fault.rateLimited(1));
            long t0 = System.nanoTime();
            assertEquals("likes tea", m.get(id, user).content());
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "waited the Retry-After second");
            assertEquals(before + 2, sim.requestCount());
            sim.inject(Fault.status(500, "{\"detail\":\"An unknown error occurred\"}"));
            assertEquals(1, m.search(user, "tea").size());
            assertEquals(before + 4, sim.requestCount());
            sim.inject(Fault.rateLimited(30));
            RateLimitedException e = assertThrows(RateLimitedException.class, () -> m.search(user, "tea"));
            assertEquals(Duration.ofSeconds(30), e.retryAfter().orElseThrow(), "a wait past the deadline is reported");
        }
    }

    @Test
    void aResetIsRetried() {
        try (Memory m = memory()) {
            String id = m.add(user, "reset me").id();
            int before = sim.requestCount();
            sim.inject(Fault.reset());
            assertEquals("reset me", m.get(id, user).content());
            assertEquals(before + 2, sim.requestCount());
        }
    }

    @Test
    void aMemoryIsAllItsPassagesOrNothing() {
        try (Memory m = memory("max_passage_chars", "100")) {
            m.add(user, "short");
            int before = sim.requestCount();
            // The first part is written, the second fails three times: the first is removed again.
            sim.inject(Fault.slow(Duration.ZERO), Fault.status(503, "{\"detail\":\"overloaded\"}"),
                    Fault.status(503, "{\"detail\":\"overloaded\"}"), Fault.status(503, "{\"detail\":\"overloaded\"}"));
            assertThrows(ProviderUnavailableException.class, () -> m.add(MemoryInput.of(user, "y".repeat(250))));
            assertEquals(before + 5, sim.requestCount(), "one part, three attempts at the next, one removal");
            assertEquals(1, sim.passageCount(), "nothing of the failed memory is left");
        }
    }

    @Test
    void malformedJsonIsAProviderErrorAndA422IsTheAdaptersOwnMistake() {
        try (Memory m = memory()) {
            m.add(user, "x");
            int before = sim.requestCount();
            sim.inject(Fault.status(200, "[{\"passage\": not json"));
            ProviderException e = assertThrows(ProviderException.class, () -> m.search(user, "x"));
            assertEquals("provider_error", e.code());
            assertEquals(before + 1, sim.requestCount());
            // Letta's 422 detail is a string, not the file's list.
            sim.inject(Fault.status(422, "{\"trace_id\":\"t\",\"detail\":\"[{'type': 'value_error'}]\"}"));
            assertThrows(InvalidRequestException.class, () -> m.search(user, "x"));
            assertEquals(before + 2, sim.requestCount(), "not retried");
        }
    }

    @Test
    void aRejectedKeyIsUnauthorized() {
        try (Memory m = Memory.builder().config("letta").setting("base_url", sim.url()).setting("api_key", "wrong")
                .build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> m.search(user, "x"));
            assertEquals(401, e.httpStatus());
            assertEquals(1, sim.requestCount());
        }
    }
}
