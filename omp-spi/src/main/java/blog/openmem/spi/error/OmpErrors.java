package blog.openmem.spi.error;

import java.time.Duration;

/**
 * The one mapping between {@link OmpException}s and the wire (CONTRACT §9): the server uses it to
 * write envelopes, HTTP clients to turn a status and envelope back into the same exception.
 */
public final class OmpErrors {
    /** The only message a 500 ever carries. */
    public static final String INTERNAL_MESSAGE = "internal server error";

    private OmpErrors() {
    }

    /**
     * Creates the exception class that belongs to a code.
     *
     * @param code       the wire code; unknown codes give a {@link ProviderException} keeping it
     * @param type       the wire type (used for unknown codes)
     * @param httpStatus the HTTP status (used for unknown codes)
     * @param message    the message
     * @param details    details, may be null
     * @return the exception
     */
    public static OmpException create(String code, String type, int httpStatus, String message,
                                      ErrorDetails details) {
        ErrorCode known = ErrorCode.fromCode(code).orElse(null);
        if (known == null) {
            return new ProviderException(code == null ? "provider_error" : code, type, httpStatus, message, details);
        }
        return switch (known) {
            case UNAUTHORIZED -> new UnauthorizedException(message, details);
            case SCOPE_DENIED -> new ScopeDeniedException(message, details);
            case NOT_FOUND -> new NotFoundException(message, details);
            case INVALID_REQUEST -> new InvalidRequestException(message, details);
            case UNSUPPORTED_CAPABILITY -> new UnsupportedCapabilityException(message, details);
            case PAYLOAD_TOO_LARGE -> new PayloadTooLargeException(message, details);
            case RATE_LIMITED -> new RateLimitedException(message, details);
            case PROVIDER_ERROR -> new ProviderException(message, details);
            case INGESTION_TIMEOUT -> new IngestionTimeoutException(message, details);
            case PROVIDER_UNAVAILABLE -> new ProviderUnavailableException(message, details);
            case INTERNAL_ERROR -> new InternalErrorException(message, details);
            case CONFIGURATION_ERROR -> new ConfigurationException(message, details);
        };
    }

    /**
     * @param e an exception
     * @return its envelope; a 500 never reveals its message
     */
    public static ErrorEnvelope toEnvelope(OmpException e) {
        String message = e.errorCode() == ErrorCode.INTERNAL_ERROR ? INTERNAL_MESSAGE : e.getMessage();
        return new ErrorEnvelope(new ErrorEnvelope.Body(e.code(), message, e.type(), e.provider().orElse(null),
                e.requestId().orElse(null)));
    }

    /**
     * The envelope of a failure that is not an {@link OmpException}: always a bare 500.
     *
     * @param requestId the request id
     * @return the envelope
     */
    public static ErrorEnvelope internal(String requestId) {
        return new ErrorEnvelope(new ErrorEnvelope.Body(ErrorCode.INTERNAL_ERROR.code(), INTERNAL_MESSAGE,
                ErrorCode.INTERNAL_ERROR.type(), null, requestId));
    }

    /**
     * Turns an HTTP error response back into an exception.
     *
     * @param httpStatus the status
     * @param envelope   the parsed envelope, or null when the body was not one
     * @param retryAfter the parsed Retry-After, or null
     * @param provider   the provider to name when the envelope does not, or null
     * @param fallbackMessage message to use when there is no envelope
     * @return the exception
     */
    public static OmpException fromResponse(int httpStatus, ErrorEnvelope envelope, Duration retryAfter,
                                            String provider, String fallbackMessage) {
        if (envelope != null && envelope.error() != null && envelope.error().code() != null) {
            ErrorEnvelope.Body b = envelope.error();
            ErrorDetails d = new ErrorDetails(b.provider() != null ? b.provider() : provider, b.requestId(),
                    retryAfter, null);
            String message = b.message() != null ? b.message() : fallbackMessage;
            return create(b.code(), b.type(), httpStatus, message, d);
        }
        ErrorCode code = ErrorCode.forStatus(httpStatus);
        return create(code.code(), code.type(), httpStatus,
                fallbackMessage != null ? fallbackMessage : "HTTP " + httpStatus,
                new ErrorDetails(provider, null, retryAfter, null));
    }
}
