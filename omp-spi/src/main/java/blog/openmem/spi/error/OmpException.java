package blog.openmem.spi.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The one unchecked root of every OMP error (CONTRACT §9). Subclasses exist per code so callers
 * can catch what they handle; {@link #code()} keeps the wire string even for codes this version
 * does not know.
 */
public class OmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String type;
    private final int httpStatus;
    private final boolean retryable;
    private final String provider;
    private final String requestId;
    private final Duration retryAfter;

    /**
     * @param code    the known code
     * @param message the message (must not contain secrets)
     * @param details provider, request id, retry-after and cause; may be null
     */
    protected OmpException(ErrorCode code, String message, ErrorDetails details) {
        this(code.code(), code.type(), code.httpStatus(), code.retryable(), message, details);
    }

    /**
     * For codes the client does not know: kept verbatim (CONTRACT §9).
     *
     * @param code       the wire code
     * @param type       the wire type
     * @param httpStatus the HTTP status, 0 if none
     * @param retryable  whether a retry can help
     * @param message    the message
     * @param details    provider, request id, retry-after and cause; may be null
     */
    protected OmpException(String code, String type, int httpStatus, boolean retryable, String message,
                           ErrorDetails details) {
        super(message, details == null ? null : details.cause());
        ErrorDetails d = details == null ? ErrorDetails.NONE : details;
        this.code = code;
        this.type = type;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.provider = d.provider();
        this.requestId = d.requestId();
        this.retryAfter = d.retryAfter();
    }

    /** @return the wire code, e.g. {@code "not_found"} */
    public String code() {
        return code;
    }

    /** @return the known code, or {@link ErrorCode#PROVIDER_ERROR} for an unknown one */
    public ErrorCode errorCode() {
        return ErrorCode.fromCode(code).orElse(ErrorCode.PROVIDER_ERROR);
    }

    /** @return the envelope type, e.g. {@code "invalid"} */
    public String type() {
        return type;
    }

    /** @return the HTTP status this error travels as (0 if it never travels) */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return whether retrying the same call may succeed */
    public boolean isRetryable() {
        return retryable;
    }

    /** @return the provider that failed, if known */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** @return the request id, if known */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** @return how long to wait before retrying, if the server said */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** @return the details this exception carries */
    public ErrorDetails details() {
        return new ErrorDetails(provider, requestId, retryAfter, getCause());
    }

    /**
     * @param requestId a request id
     * @param provider  a provider id (kept if already set)
     * @return an exception of the same code (and retryability) with the request id and provider
     *         filled in
     */
    public OmpException withContext(String requestId, String provider) {
        ErrorDetails d = new ErrorDetails(this.provider != null ? this.provider : provider,
                requestId != null ? requestId : this.requestId, retryAfter, this);
        // A provider error known not to mend on retry (ProviderException.notRetryable) stays so.
        OmpException copy = !retryable && ErrorCode.PROVIDER_ERROR.code().equals(code)
                ? ProviderException.notRetryable(getMessage(), d)
                : OmpErrors.create(code, type, httpStatus, getMessage(), d);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** @return the wire envelope of this error (CONTRACT §9) */
    public ErrorEnvelope toEnvelope() {
        return OmpErrors.toEnvelope(this);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + "]: " + getMessage()
                + (provider != null ? " (provider " + provider + ")" : "")
                + (requestId != null ? " (request " + requestId + ")" : "");
    }
}
