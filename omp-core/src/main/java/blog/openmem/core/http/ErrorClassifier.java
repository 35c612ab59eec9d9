package blog.openmem.core.http;

import blog.openmem.spi.error.OmpException;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A vendor's own reading of its error answers, consulted before the standard status table
 * ({@link HttpErrors}): a 400 that means "not found", a 409 that means "still processing", an error
 * body whose message sits in a field of its own. A classified failure is retried (for idempotent
 * calls) exactly when it says {@link OmpException#isRetryable()}.
 */
@FunctionalInterface
public interface ErrorClassifier {
    /** Classifies nothing: the standard table applies. */
    ErrorClassifier STANDARD = (status, headers, body, standard) -> Optional.empty();

    /**
     * @param status   the HTTP status (not 2xx)
     * @param headers  the response headers
     * @param body     the response body (may be empty)
     * @param standard what the standard table makes of it (message, request id and retry-after
     *                 already filled in), to keep or refine
     * @return the failure to report instead, or empty to report {@code standard}
     */
    Optional<OmpException> classify(int status, HttpHeaders headers, byte[] body, OmpException standard);
}
