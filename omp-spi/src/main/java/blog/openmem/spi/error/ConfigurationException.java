package blog.openmem.spi.error;

/** The SDK is misconfigured: unknown provider, missing jar, bad setting. Never sent on the wire. */
public class ConfigurationException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public ConfigurationException(String message) {
        super(ErrorCode.CONFIGURATION_ERROR, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public ConfigurationException(String message, ErrorDetails details) {
        super(ErrorCode.CONFIGURATION_ERROR, message, details);
    }
}
