package blog.openmem.core.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits between retries; injectable so backoff is tested without waiting. */
@FunctionalInterface
public interface Sleeper {
    /** The real one. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    /**
     * @param duration how long
     * @throws InterruptedException when interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * The asynchronous twin of {@link #sleep}: a future completed after the duration, without
     * holding a thread meanwhile. Test sleepers override both.
     *
     * @param duration how long
     * @return a future completed after the duration
     */
    default CompletableFuture<Void> delay(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS));
    }
}
