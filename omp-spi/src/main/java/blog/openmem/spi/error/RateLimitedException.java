package blog.openmem.spi.error;

/** Too many requests (429); see {@link #retryAfter()}. */
public class RateLimitedException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public RateLimitedException(String message) {
        super(ErrorCode.RATE_LIMITED, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public RateLimitedException(String message, ErrorDetails details) {
        super(ErrorCode.RATE_LIMITED, message, details);
    }
}
