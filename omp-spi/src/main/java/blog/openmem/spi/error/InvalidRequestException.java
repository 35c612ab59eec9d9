package blog.openmem.spi.error;

/** Bad arguments, body, JSON or cursor (400); the message names the field. */
public class InvalidRequestException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public InvalidRequestException(String message, ErrorDetails details) {
        super(ErrorCode.INVALID_REQUEST, message, details);
    }
}
