package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Failure behaviour on real PostgreSQL servers. */
class FailureTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static EmbeddedPostgres startEmbedded(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir.toFile()).setCleanDataDirectory(false).setPort(port)
                .start();
    }

    @Test
    void serverStoppedMidRunIsUnavailableQuicklyAndRecoversByItself() throws Exception {
        Path dir = PgTestSupport.embeddedDir("restart");
        int port = freePort();
        EmbeddedPostgres pg = startEmbedded(dir, port);
        try (Memory memory = Memory.builder().config("postgres://postgres@localhost:" + port + "/postgres")
                .embedder("hash").setting("pool_timeout", "1s").setting("connect_timeout", "1s")
                .setting("socket_timeout", "5s").build()) {
            String user = "u-" + UUID.randomUUID();
            for (int i = 0; i < 10; i++) {
                memory.add(user, "fact number " + i);
            }
            pg.close();

            for (Runnable call : List.<Runnable>of(() -> memory.search(user, "fact"), () -> memory.add(user, "lost?"),
                    () -> memory.list(user))) {
                long start = System.nanoTime();
                OmpException e = assertThrows(ProviderUnavailableException.class, call::run);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 5000, "failed fast: " + ms + " ms");
                assertEquals(503, e.httpStatus());
                assertTrue(e.isRetryable());
            }

            pg = startEmbedded(dir, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<?> found = null;
            while (System.nanoTime() < deadline) {
                try {
                    found = memory.search(user, "fact number");
                    break;
                } catch (ProviderUnavailableException stillDown) {
                    Thread.sleep(200);
                }
            }
            assertTrue(found != null && !found.isEmpty(), "recovered without a new client");
            assertEquals(10, memory.list(ListQuery.builder(user).limit(100).build()).items().size(),
                    "nothing acknowledged was lost, the failed add wrote nothing");
        } finally {
            pg.close();
        }
    }

    /**
     * 64 callers at once while the database is down: every one is refused within the pool timeout
     * (one deadline for the wait in the queue and the wait for a connection), where waiting for
     * both in turn took up to twice the timeout.
     */
    @Test
    void manyCallersDuringAnOutageAreRefusedWithinOnePoolTimeout() throws Exception {
        Path dir = PgTestSupport.embeddedDir("outage");
        int port = freePort();
        EmbeddedPostgres pg = startEmbedded(dir, port);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try (Memory memory = Memory.builder().config("postgres://postgres@localhost:" + port + "/postgres")
                .embedder("hash").setting("pool_size", "4").setting("pool_timeout", "1s")
                .setting("connect_timeout", "1s").build()) {
            String user = "u-" + UUID.randomUUID();
            memory.add(user, "before the outage");
            pg.close();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    assertThrows(ProviderUnavailableException.class, () -> memory.list(user));
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }));
            }
            go.countDown();
            long slowest = 0;
            for (Future<Long> f : calls) {
                slowest = Math.max(slowest, f.get(30, TimeUnit.SECONDS));
            }
            // 1 s of pool timeout plus scheduling on a loaded 2-core machine; two waits took ~2 s.
            assertTrue(slowest < 1600, "slowest refusal took " + slowest + " ms");
        } finally {
            pool.shutdownNow();
            pg.close();
        }
    }

    @Test
    void poolExhaustionIsUnavailableNotAHang() throws Exception {
        try (Memory memory = Memory.builder().config(PgTestSupport.url()).embedder("hash")
                .setting("pool_size", "2").setting("pool_timeout", "500ms").build()) {
            String user = "u-" + UUID.randomUUID();
            var m = memory.add(user, "contended row");
            String jdbc = PostgresSettings.parse(PgTestSupport.url()).jdbc();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (Connection locker = DriverManager.getConnection(jdbc, "postgres", null)) {
                locker.setAutoCommit(false);
                try (PreparedStatement ps = locker.prepareStatement(
                        "SELECT 1 FROM omp_memories WHERE id = ? FOR UPDATE")) {
                    ps.setString(1, m.id());
                    ps.executeQuery().close();
                }
                // Two updates wait on the row lock, holding both pooled connections.
                List<Future<?>> blocked = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    int n = i;
                    blocked.add(pool.submit(() -> memory.update(m.id(), MemoryUpdate.builder()
                            .content("update " + n).build())));
                }
                Thread.sleep(300);
                long start = System.nanoTime();
                ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                        () -> memory.get(m.id()));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 3000, "waited only the pool timeout: " + ms + " ms");
                assertTrue(e.getMessage().contains("pool exhausted") || e.getMessage().contains("unavailable"),
                        e.getMessage());
                locker.rollback();
                for (Future<?> f : blocked) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(memory.get(m.id()).content().startsWith("update "), "the blocked updates completed");
        }
    }

    @Test
    void thirtyTwoThreadsAddingAndSearchingLoseNothing() throws Exception {
        int threads = 32;
        int perThread = 25;
        String shared = "shared-" + UUID.randomUUID();
        try (Memory memory = Memory.builder().config(PgTestSupport.url()).embedder("hash")
                .setting("pool_size", "16").build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            List<Future<String>> users = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                users.add(pool.submit(() -> {
                    String own = "u-" + UUID.randomUUID();
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String content = "thread " + thread + " item " + i + " about topic" + (i % 5);
                        acknowledged.add(memory.add(own, content).id());
                        if (i % 5 == 0) {
                            acknowledged.add(memory.add(MemoryInput.of(shared, content)).id());
                            assertFalse(memory.search(own, "topic" + (i % 5)).isEmpty());
                            memory.search(shared, "item " + i);
                        }
                    }
                    return own;
                }));
            }
            start.countDown();
            List<String> owners = new ArrayList<>();
            for (Future<String> f : users) {
                owners.add(f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();
            for (int t = 0; t < threads; t++) {
                Set<String> contents = memory.stream(ListQuery.builder(owners.get(t)).limit(7).build())
                        .map(blog.openmem.spi.model.Memory::content).collect(Collectors.toSet());
                assertEquals(perThread, contents.size(), "every add of thread " + t + " is there");
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < perThread; i++) {
                    expected.add("thread " + t + " item " + i + " about topic" + (i % 5));
                }
                assertEquals(expected, contents);
            }
            List<blog.openmem.spi.model.Memory> sharedRows = memory.stream(ListQuery.builder(shared).build()).toList();
            assertEquals(threads * (perThread / 5), sharedRows.size(), "the shared user's count");
            assertEquals(sharedRows.size(), new HashSet<>(sharedRows.stream().map(r -> r.id()).toList()).size());
            assertEquals(threads * perThread + threads * (perThread / 5), acknowledged.size());
        }
    }
}
