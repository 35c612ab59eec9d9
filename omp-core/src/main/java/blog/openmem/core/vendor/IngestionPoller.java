package blog.openmem.core.vendor;

import blog.openmem.core.http.Sleeper;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.IngestionTimeoutException;
import blog.openmem.spi.error.ProviderException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Waits for a vendor's asynchronous ingestion (CONTRACT §11): asks again with exponential backoff
 * (first wait, doubling, capped) until the probe answers, then {@link IngestionTimeoutException}
 * (504) once the budget is spent. The asynchronous twin holds no thread while it waits.
 */
public final class IngestionPoller {
    private final String provider;
    private final Duration timeout;
    private final Duration first;
    private final Duration max;
    private final Sleeper sleeper;

    /**
     * @param provider the provider id, for messages
     * @param timeout  the whole budget (default 60 s)
     * @param first    the first wait
     * @param max      the longest wait
     * @param sleeper  how to wait (tests inject one)
     */
    public IngestionPoller(String provider, Duration timeout, Duration first, Duration max, Sleeper sleeper) {
        this.provider = provider;
        this.timeout = timeout;
        this.first = first;
        this.max = max;
        this.sleeper = sleeper;
    }

    /**
     * @param provider the provider id
     * @param timeout  the budget
     * @return a poller waiting 250 ms first, then doubling up to 5 s
     */
    public static IngestionPoller of(String provider, Duration timeout) {
        return new IngestionPoller(provider, timeout, Duration.ofMillis(250), Duration.ofSeconds(5), Sleeper.SYSTEM);
    }

    /** @return the budget */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @param probe asks once: the result when ingestion is done, empty while it is not; throws when
     *              it failed
     * @param what  what is awaited, for the timeout's message (no user data)
     * @param <T>   the result type
     * @return the result
     * @throws IngestionTimeoutException when the budget is spent
     */
    public <T> T await(Supplier<Optional<T>> probe, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration wait = first;
        while (true) {
            Optional<T> r = probe.get();
            if (r.isPresent()) {
                return r.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timedOut(what);
            }
            try {
                sleeper.sleep(Duration.ofNanos(Math.min(wait.toNanos(), left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(provider + ": interrupted while waiting for " + what,
                        ErrorDetails.provider(provider));
            }
            wait = next(wait);
        }
    }

    /**
     * @param probe asks once, without blocking
     * @param what  what is awaited
     * @param <T>   the result type
     * @return the result, or a future failed with {@link IngestionTimeoutException}
     */
    public <T> CompletableFuture<T> awaitAsync(Supplier<CompletableFuture<Optional<T>>> probe, String what) {
        CompletableFuture<T> out = new CompletableFuture<>();
        step(probe, what, System.nanoTime() + timeout.toNanos(), first, out);
        return out;
    }

    private <T> void step(Supplier<CompletableFuture<Optional<T>>> probe, String what, long deadline, Duration wait,
                          CompletableFuture<T> out) {
        if (out.isDone()) {
            return;
        }
        probe.get().whenComplete((r, e) -> {
            if (e != null) {
                out.completeExceptionally(Rest.cause(e));
            } else if (r.isPresent()) {
                out.complete(r.get());
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    out.completeExceptionally(timedOut(what));
                } else {
                    sleeper.delay(Duration.ofNanos(Math.min(wait.toNanos(), left)))
                            .whenComplete((v, x) -> step(probe, what, deadline, next(wait), out));
                }
            }
        });
    }

    private Duration next(Duration wait) {
        Duration d = wait.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    private IngestionTimeoutException timedOut(String what) {
        return new IngestionTimeoutException(provider + ": " + what + " not done within " + timeout.toMillis()
                + " ms (ingestion_timeout)", ErrorDetails.provider(provider));
    }
}
