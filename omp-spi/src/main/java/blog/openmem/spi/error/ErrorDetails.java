package blog.openmem.spi.error;

import java.time.Duration;

/**
 * The optional context of an {@link OmpException}.
 *
 * @param provider   the provider id, or null
 * @param requestId  the request id, or null
 * @param retryAfter the server's Retry-After, or null
 * @param cause      the underlying cause, or null
 */
public record ErrorDetails(String provider, String requestId, Duration retryAfter, Throwable cause) {
    /** No details. */
    public static final ErrorDetails NONE = new ErrorDetails(null, null, null, null);

    /**
     * @param provider the provider id
     * @return details naming only the provider
     */
    public static ErrorDetails provider(String provider) {
        return new ErrorDetails(provider, null, null, null);
    }

    /**
     * @param cause the cause
     * @return details carrying only a cause
     */
    public static ErrorDetails cause(Throwable cause) {
        return new ErrorDetails(null, null, null, cause);
    }
}
