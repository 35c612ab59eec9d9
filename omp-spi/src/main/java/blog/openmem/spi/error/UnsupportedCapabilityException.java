package blog.openmem.spi.error;

/** The provider does not advertise the verb; raised before any I/O (400, D-1). */
public class UnsupportedCapabilityException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public UnsupportedCapabilityException(String message) {
        super(ErrorCode.UNSUPPORTED_CAPABILITY, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public UnsupportedCapabilityException(String message, ErrorDetails details) {
        super(ErrorCode.UNSUPPORTED_CAPABILITY, message, details);
    }
}
