package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshedTest {
    /** 16 threads asking at once, a slow loader: one load, and nobody sees a value never loaded. */
    static int concurrentGets(Refreshed<Integer> r, AtomicInteger loads, List<Integer> seen) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            out.add(pool.submit(() -> {
                start.await();
                return r.get(() -> {
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return loads.incrementAndGet();
                });
            }));
        }
        start.countDown();
        for (Future<Integer> f : out) {
            seen.add(f.get());
        }
        pool.shutdown();
        return loads.get();
    }

    @Test
    void theFirstLoadIsWaitedForAndDoneOnce() throws Exception {
        Refreshed<Integer> r = new Refreshed<>(60_000);
        AtomicInteger loads = new AtomicInteger();
        List<Integer> seen = new ArrayList<>();
        assertEquals(1, concurrentGets(r, loads, seen));
        assertEquals(List.of(1), seen.stream().distinct().toList(), "every caller got the loaded value");
    }

    @Test
    void aDueRefreshIsMadeByOneCallerWhileTheOthersKeepTheOldValue() throws Exception {
        Refreshed<Integer> r = new Refreshed<>(60_000);
        AtomicInteger loads = new AtomicInteger();
        assertEquals(1, r.get(loads::incrementAndGet));
        assertEquals(1, r.get(loads::incrementAndGet), "not due yet");
        r.expire();
        List<Integer> seen = new ArrayList<>();
        assertEquals(2, concurrentGets(r, loads, seen), "one refresh for 16 callers");
        assertEquals(2, r.get(loads::incrementAndGet));
    }

    @Test
    void aFailedRefreshIsRetriedByTheNextCaller() throws Exception {
        Refreshed<Integer> r = new Refreshed<>(60_000);
        assertEquals(1, r.get(() -> 1));
        r.expire();
        assertThrows(SQLException.class, () -> r.get(() -> {
            throw new SQLException("down");
        }));
        assertEquals(3, r.get(() -> 3), "still due after the failure");
    }
}
