package blog.openmem.spi.error;

/**
 * The upstream failed unexpectedly (502), and the class of every code this version does not
 * know, which is kept verbatim in {@link #code()} (CONTRACT §9).
 */
public class ProviderException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message */
    public ProviderException(String message) {
        super(ErrorCode.PROVIDER_ERROR, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public ProviderException(String message, ErrorDetails details) {
        super(ErrorCode.PROVIDER_ERROR, message, details);
    }

    /**
     * An error with a code this version does not know.
     *
     * @param code       the wire code, kept
     * @param type       the wire type, or null
     * @param httpStatus the HTTP status
     * @param message    the message
     * @param details    details
     */
    public ProviderException(String code, String type, int httpStatus, String message, ErrorDetails details) {
        super(code, type == null ? "provider_error" : type, httpStatus, httpStatus >= 500 || httpStatus == 429,
                message, details);
    }

    /**
     * A failure of the upstream that a retry of the same call cannot mend (a vendor's exhausted
     * quota, say): 502, but not retried.
     *
     * @param message the message
     * @param details provider, request id, cause
     * @return the exception
     */
    public static ProviderException notRetryable(String message, ErrorDetails details) {
        return new ProviderException(message, details, false);
    }

    private ProviderException(String message, ErrorDetails details, boolean retryable) {
        super(ErrorCode.PROVIDER_ERROR.code(), ErrorCode.PROVIDER_ERROR.type(), ErrorCode.PROVIDER_ERROR.httpStatus(),
                retryable, message, details);
    }
}
