package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.http.Sleeper;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.IngestionTimeoutException;
import blog.openmem.spi.error.ProviderException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StillProcessingExceptionTest {
    private final IngestionPoller poller = new IngestionPoller("v", Duration.ofSeconds(1), Duration.ofMillis(1),
            Duration.ofMillis(2), Sleeper.SYSTEM);

    @Test
    void theChangeIsTriedAgainUntilTheTargetIsDone() {
        AtomicInteger calls = new AtomicInteger();
        String r = poller.await(StillProcessingException.awaitedBy(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new StillProcessingException("busy", ErrorDetails.provider("v"));
            }
            return "changed";
        }), "the change");
        assertEquals("changed", r);
        assertEquals(3, calls.get());
    }

    @Test
    void otherFailuresPassAndTheHttpClientDoesNotRetryIt() {
        assertFalse(new StillProcessingException("busy", null).isRetryable());
        assertEquals("provider_unavailable", new StillProcessingException("busy", null).code());
        assertThrows(ProviderException.class, () -> poller.await(StillProcessingException.awaitedBy(() -> {
            throw new ProviderException("boom");
        }), "the change"));
    }

    @Test
    void aTargetThatNeverFinishesIsAnIngestionTimeout() {
        IngestionPoller quick = new IngestionPoller("v", Duration.ofMillis(50), Duration.ofMillis(5),
                Duration.ofMillis(10), Sleeper.SYSTEM);
        assertThrows(IngestionTimeoutException.class, () -> quick.await(StillProcessingException.awaitedBy(() -> {
            throw new StillProcessingException("busy", null);
        }), "the change"));
    }
}
