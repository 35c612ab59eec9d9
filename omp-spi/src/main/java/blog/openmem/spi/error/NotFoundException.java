package blog.openmem.spi.error;

/** No such memory, or it belongs to another user (404). */
public class NotFoundException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public NotFoundException(String message, ErrorDetails details) {
        super(ErrorCode.NOT_FOUND, message, details);
    }
}
