package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A health check spends a vendor call only when no recent answer proves the vendor healthy. */
class RecentAnswersTest {
    @Test
    void probesOnlyWhenNoAnswerIsFresh() {
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        RecentAnswers r = new RecentAnswers(Duration.ofSeconds(30), now::get);
        AtomicInteger probes = new AtomicInteger();
        r.check(probes::incrementAndGet);
        assertEquals(1, probes.get(), "nothing answered yet: probe");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        r.check(probes::incrementAndGet);
        assertEquals(1, probes.get(), "the probe's own answer is fresh");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        r.check(probes::incrementAndGet);
        assertEquals(2, probes.get());
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertEquals("x", r.answered("x"));
        r.check(probes::incrementAndGet);
        assertEquals(2, probes.get(), "a call's answer counts");
    }

    @Test
    void aFailedProbeIsNotAnAnswer() {
        AtomicLong now = new AtomicLong(0);
        RecentAnswers r = new RecentAnswers(Duration.ofSeconds(30), now::get);
        assertThrows(IllegalStateException.class, () -> r.check(() -> {
            throw new IllegalStateException("down");
        }));
        AtomicInteger probes = new AtomicInteger();
        r.check(probes::incrementAndGet);
        assertEquals(1, probes.get());
    }
}
