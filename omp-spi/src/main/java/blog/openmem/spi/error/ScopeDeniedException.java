package blog.openmem.spi.error;

/** The caller's grants do not cover the memory or scope (403). */
public class ScopeDeniedException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public ScopeDeniedException(String message) {
        super(ErrorCode.SCOPE_DENIED, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public ScopeDeniedException(String message, ErrorDetails details) {
        super(ErrorCode.SCOPE_DENIED, message, details);
    }
}
