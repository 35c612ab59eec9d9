package blog.openmem.sim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Strictly increasing microsecond times, as a vendor's database gives them: no two writes share one. */
final class SimClock {
    private Instant last = Instant.EPOCH;

    /** @return now, after every time given before */
    synchronized Instant now() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!t.isAfter(last)) {
            t = last.plus(1, ChronoUnit.MICROS);
        }
        last = t;
        return t;
    }
}
