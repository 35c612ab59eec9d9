package blog.openmem.spi.error;

/** An async vendor did not finish ingesting in time (504). */
public class IngestionTimeoutException extends OmpException {
    private static final long serialVersionUID = 1L;

    /** @param message the message, naming the field or thing concerned */
    public IngestionTimeoutException(String message) {
        super(ErrorCode.INGESTION_TIMEOUT, message, null);
    }

    /**
     * @param message the message
     * @param details provider, request id, retry-after, cause
     */
    public IngestionTimeoutException(String message, ErrorDetails details) {
        super(ErrorCode.INGESTION_TIMEOUT, message, details);
    }
}
