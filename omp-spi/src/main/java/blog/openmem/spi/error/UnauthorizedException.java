package blog.openmem.spi.error;

/** Missing or invalid credentials (401). */
public class UnauthorizedException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public UnauthorizedException(String message) {
        super(ErrorCode.UNAUTHORIZED, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public UnauthorizedException(String message, ErrorDetails details) {
        super(ErrorCode.UNAUTHORIZED, message, details);
    }
}
