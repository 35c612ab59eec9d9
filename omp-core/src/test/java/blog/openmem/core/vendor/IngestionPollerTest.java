package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.http.Sleeper;
import blog.openmem.spi.error.IngestionTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngestionPollerTest {
    final List<Duration> waits = new ArrayList<>();
    final Sleeper sleeper = new Sleeper() {
        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }

        @Override
        public CompletableFuture<Void> delay(Duration d) {
            waits.add(d);
            return CompletableFuture.completedFuture(null);
        }
    };

    @Test
    void pollsWithDoublingWaitsUntilDone() {
        IngestionPoller p = new IngestionPoller("t", Duration.ofSeconds(60), Duration.ofMillis(100),
                Duration.ofMillis(500), sleeper);
        AtomicInteger calls = new AtomicInteger();
        String r = p.await(() -> calls.incrementAndGet() < 6 ? Optional.empty() : Optional.of("done"), "event");
        assertEquals("done", r);
        assertEquals(List.of(100L, 200L, 400L, 500L, 500L), waits.stream().map(Duration::toMillis).toList());
    }

    @Test
    void theBudgetEndsInIngestionTimeout() {
        IngestionPoller p = new IngestionPoller("t", Duration.ofMillis(30), Duration.ofMillis(10), Duration.ofMillis(10),
                Sleeper.SYSTEM);
        IngestionTimeoutException e = assertThrows(IngestionTimeoutException.class,
                () -> p.await(Optional::empty, "event"));
        assertEquals(504, e.httpStatus());
        assertEquals("ingestion_timeout", e.code());
    }

    @Test
    void theAsyncTwinAgreesAndPassesFailuresOn() throws Exception {
        IngestionPoller p = new IngestionPoller("t", Duration.ofSeconds(60), Duration.ofMillis(100),
                Duration.ofMillis(500), sleeper);
        AtomicInteger calls = new AtomicInteger();
        assertEquals("done", p.awaitAsync(() -> CompletableFuture.completedFuture(calls.incrementAndGet() < 3
                ? Optional.<String>empty() : Optional.of("done")), "event").get());
        assertEquals(List.of(100L, 200L), waits.stream().map(Duration::toMillis).toList());
        CompletableFuture<String> failed = p.awaitAsync(() -> CompletableFuture.failedFuture(
                new IllegalStateException("FAILED at the vendor")), "event");
        ExecutionException e = assertThrows(ExecutionException.class, failed::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        IngestionPoller quick = new IngestionPoller("t", Duration.ofMillis(20), Duration.ofMillis(5),
                Duration.ofMillis(5), Sleeper.SYSTEM);
        ExecutionException t = assertThrows(ExecutionException.class, () -> quick.awaitAsync(
                () -> CompletableFuture.completedFuture(Optional.<String>empty()), "event").get());
        assertInstanceOf(IngestionTimeoutException.class, t.getCause());
    }
}
