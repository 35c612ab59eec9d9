package blog.openmem.core.vendor;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Health from a vendor's recent answers: a provider whose vendor answered a call a moment ago is
 * healthy without another call, so that a health probe every few seconds does not spend requests
 * (some vendors bill or rate-limit each one). A provider passes each answer through
 * {@link #answered} and implements {@code checkHealth} with {@link #check}.
 */
public final class RecentAnswers {
    private final long freshNanos;
    private final LongSupplier nanoTime;
    private volatile long last;

    /**
     * @param fresh    how long an answer proves the vendor healthy
     * @param nanoTime the clock ({@code System::nanoTime})
     */
    public RecentAnswers(Duration fresh, LongSupplier nanoTime) {
        this.freshNanos = fresh.toNanos();
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong() - 2 * freshNanos;
    }

    /** @return answers fresh for 30 s, on the system clock */
    public static RecentAnswers thirtySeconds() {
        return new RecentAnswers(Duration.ofSeconds(30), System::nanoTime);
    }

    /**
     * Notes that the vendor answered.
     *
     * @param value what the call returns
     * @param <T>   its type
     * @return {@code value}
     */
    public <T> T answered(T value) {
        last = nanoTime.getAsLong();
        return value;
    }

    /**
     * Runs the probe (one cheap vendor call, throwing when the vendor is unhealthy) unless the vendor
     * answered recently.
     *
     * @param probe the cheap call
     */
    public void check(Runnable probe) {
        if (nanoTime.getAsLong() - last < freshNanos) {
            return;
        }
        probe.run();
        answered(null);
    }
}
