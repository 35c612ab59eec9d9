package blog.openmem.spi.error;

/** Backend down, pool exhausted or circuit open (503). */
public class ProviderUnavailableException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public ProviderUnavailableException(String message) {
        super(ErrorCode.PROVIDER_UNAVAILABLE, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public ProviderUnavailableException(String message, ErrorDetails details) {
        super(ErrorCode.PROVIDER_UNAVAILABLE, message, details);
    }

    /**
     * For subclasses that know better than the code whether a retry of the same call helps.
     *
     * @param message   the message
     * @param details   provider, request id, retry-after, cause
     * @param retryable whether retrying the same call at once may succeed
     */
    protected ProviderUnavailableException(String message, ErrorDetails details, boolean retryable) {
        super(ErrorCode.PROVIDER_UNAVAILABLE.code(), ErrorCode.PROVIDER_UNAVAILABLE.type(),
                ErrorCode.PROVIDER_UNAVAILABLE.httpStatus(), retryable, message, details);
    }
}
