package blog.openmem.core.vendor;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderUnavailableException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A vendor refused a change because the thing changed is still being processed (Supermemory's 409
 * on a document in ingestion). A vendor's error classifier reports it; the HTTP client does not
 * retry it at once, because the wait belongs to the {@link IngestionPoller} and its
 * {@code ingestion_timeout}: {@link #awaitedBy} turns it into "not yet" for the poller.
 */
public final class StillProcessingException extends ProviderUnavailableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the message
     * @param details provider, request id, cause
     */
    public StillProcessingException(String message, ErrorDetails details) {
        super(message, details, false);
    }

    /**
     * A change that may find its target still processing, as a poller's probe.
     *
     * @param change the change; it throws this exception while the target is processing
     * @param <T>    its result
     * @return a probe that answers empty while the target is processing
     */
    public static <T> Supplier<Optional<T>> awaitedBy(Supplier<T> change) {
        return () -> {
            try {
                return Optional.of(change.get());
            } catch (StillProcessingException e) {
                return Optional.empty();
            }
        };
    }
}
