package blog.openmem.spi.error;

/** Request body over the limit (413). */
public class PayloadTooLargeException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public PayloadTooLargeException(String message) {
        super(ErrorCode.PAYLOAD_TOO_LARGE, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public PayloadTooLargeException(String message, ErrorDetails details) {
        super(ErrorCode.PAYLOAD_TOO_LARGE, message, details);
    }
}
