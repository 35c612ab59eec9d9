package blog.openmem.spi.error;

/** A bug; on the wire the message is always {@code internal server error} (500). */
public class InternalErrorException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public InternalErrorException(String message) {
        super(ErrorCode.INTERNAL_ERROR, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public InternalErrorException(String message, ErrorDetails details) {
        super(ErrorCode.INTERNAL_ERROR, message, details);
    }
}
