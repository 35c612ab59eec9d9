package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV4Sim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.spi.error.IngestionTimeoutException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.ScopeDeniedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.MemoryUpdate;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the adapter behaves when Supermemory misbehaves, on each API version, counting every request
 * the simulator receives. Adds are retried: the caller's id ({@code id} in v5, {@code customId} in
 * v4) makes a repeated add land on the same document, so a retry never duplicates.
 */
class SupermemoryFailureTest {
    static Stream<SupermemorySim> simulators() {
        return Stream.of(new SupermemoryV5Sim(), new SupermemoryV4Sim());
    }

    final String user = "u-" + UUID.randomUUID();

    static Memory memory(SupermemorySim sim, String... settings) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 2);
        all[settings.length] = "api_version";
        all[settings.length + 1] = sim.apiVersion();
        return sim.client("supermemory", SupermemorySim.API_KEY, all);
    }

    /** Runs the body against a started simulator, then holds every exchange to the OpenAPI file. */
    static void on(SupermemorySim simulator, SimTest body) throws Exception {
        try (SupermemorySim sim = (SupermemorySim) simulator.readsUntilDone(0).start()) {
            body.run(sim);
            sim.assertClean();
        }
    }

    interface SimTest {
        void run(SupermemorySim sim) throws Exception;
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void a429IsWaitedOutAsRetryAfterSaysAndARetriedAddStoresOnce(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory m = memory(sim)) {
                String id = m.add(user, "likes tea").id();
                int before = sim.requestCount();
                sim.inject(Fault.rateLimited(1));
                long t0 = System.nanoTime();
                assertEquals("likes tea", m.get(id, user).content());
                assertTrue(System.nanoTime() - t0 >= 900_000_000L, "waited the Retry-After second");
                assertEquals(before + 2, sim.requestCount());
                sim.inject(Fault.rateLimited(1));
                m.add(user, "likes coffee");
                assertEquals(before + 5, sim.requestCount(), "the refused add, its retry, the read back");
                assertEquals(2, sim.documentCount());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void a5xxIsRetriedAndExhaustedRetriesStoreNothing(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory m = memory(sim)) {
                sim.inject(Fault.status(503, "{\"error\":\"busy\"}"));
                m.add(user, "likes green tea");
                assertEquals(3, sim.requestCount(), "the failed add, its retry, the read back");
                assertEquals(1, sim.documentCount());
                sim.inject(Fault.status(500, "{\"error\":\"boom\"}"), Fault.status(502, "{\"error\":\"bad gateway\"}"),
                        Fault.status(503, "{\"error\":\"busy\"}"));
                assertThrows(ProviderUnavailableException.class, () -> m.add(user, "never stored"));
                assertEquals(6, sim.requestCount(), "three attempts, then the error");
                assertEquals(1, sim.documentCount(), "no write, and the caller was told");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void aResetIsRetriedAndAnAddStillLandsOnce(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory m = memory(sim)) {
                sim.inject(Fault.reset());
                String id = m.add(user, "reset me").id();
                assertEquals(3, sim.requestCount());
                sim.inject(Fault.reset());
                assertEquals("reset me", m.get(id, user).content());
                assertEquals(5, sim.requestCount());
                assertEquals(1, sim.documentCount());
            }
        });
    }

    /** v5 refuses a change while the document processes (the legacy file declares no 409 there). */
    @org.junit.jupiter.api.Test
    void aV5UpdateRefusedWhileProcessingIsWaitedOutByThePollerAlone() throws Exception {
        on(new SupermemoryV5Sim(), sim -> {
            try (Memory m = memory(sim)) {
                sim.readsUntilDone(3);
                String id = m.add(user, "first words").id();
                int before = sim.requestCount();
                assertEquals("second words", m.update(id, user, MemoryUpdate.builder().content("second words").build())
                        .content());
                assertEquals(before + 4, sim.requestCount(),
                        "read, change refused with 409, change after the poller's wait, read back: no HTTP-level retry");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void processingThatNeverEndsIsAnIngestionTimeout(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory m = memory(sim, "wait_for_ingestion", "true", "ingestion_timeout", "400ms")) {
                sim.readsUntilDone(1_000);
                long t0 = System.nanoTime();
                IngestionTimeoutException e = assertThrows(IngestionTimeoutException.class,
                        () -> m.add(user, "slow to index"));
                assertEquals("ingestion_timeout", e.code());
                assertEquals(504, e.httpStatus());
                assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
                assertEquals(1, sim.documentCount(), "the document stays: it is queued, not lost");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void failedIngestionIsAProviderErrorNamingTheDocument(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory waiting = memory(sim, "wait_for_ingestion", "true", "ingestion_timeout", "5s");
                 Memory m = memory(sim)) {
                sim.readsUntilDone(2);
                sim.failNextDocument();
                ProviderException e = assertThrows(ProviderException.class, () -> waiting.add(user, "doomed"));
                assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("mem_"), e.getMessage());
                sim.failNextDocument();
                blog.openmem.spi.model.Memory queued = m.add(MemoryInput.of(user, "also doomed"));
                assertEquals(MemoryStatus.INDEXING, queued.status(), "the read back after the add moved it on");
                assertEquals(MemoryStatus.FAILED, m.get(queued.id(), user).status());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void malformedJsonIsAProviderErrorNotACrash(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory m = memory(sim)) {
                sim.inject(Fault.status(200, "{\"documents\": [ not json"));
                ProviderException e = assertThrows(ProviderException.class, () -> m.list(user));
                assertEquals("provider_error", e.code());
                assertEquals(1, sim.requestCount());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void accountErrorsMapWithoutRetries(SupermemorySim simulator) throws Exception {
        on(simulator, sim -> {
            try (Memory wrong = Memory.builder().config("supermemory").setting("base_url", sim.url())
                    .setting("api_version", sim.apiVersion()).setting("api_key", "sm_wrong").build();
                 Memory m = memory(sim)) {
                UnauthorizedException bad = assertThrows(UnauthorizedException.class, () -> wrong.list(user));
                assertEquals(401, bad.httpStatus());
                assertEquals(1, sim.requestCount());
                sim.inject(Fault.status(402, "{\"error\":\"Document token limit reached\"}"));
                ProviderException quota = assertThrows(ProviderException.class, () -> m.add(user, "over quota"));
                assertEquals("provider_error", quota.code());
                assertFalse(quota.isRetryable());
                assertTrue(quota.getMessage().contains("quota"), quota.getMessage());
                assertEquals(2, sim.requestCount(), "a 402 is not retried");
                sim.inject(Fault.status(403, "{\"error\":\"No access to this namespace\"}"));
                assertThrows(ScopeDeniedException.class, () -> m.list(user));
                assertEquals(3, sim.requestCount());
                assertEquals(0, sim.documentCount());
                OmpException any = assertThrows(OmpException.class, () -> m.get("mem_x.other", user));
                assertEquals("not_found", any.code(), "another user's id costs no call");
                assertEquals(3, sim.requestCount());
            }
        });
    }
}
