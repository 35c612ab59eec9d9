package blog.openmem.spi.error;

import java.util.Locale;
import java.util.Optional;

/** The error codes of CONTRACT §9 with their HTTP status, type and whether a retry can help. */
public enum ErrorCode {
    /** Missing or invalid credentials. */
    UNAUTHORIZED(401, "auth", false),
    /** Outside the caller's grants. */
    SCOPE_DENIED(403, "auth", false),
    /** No such memory or route. */
    NOT_FOUND(404, "not_found", false),
    /** Bad body, JSON, parameters or cursor. */
    INVALID_REQUEST(400, "invalid", false),
    /** Verb not supported by the provider (D-1). */
    UNSUPPORTED_CAPABILITY(400, "invalid", false),
    /** Body over the limit. */
    PAYLOAD_TOO_LARGE(413, "invalid", false),
    /** Too many requests. */
    RATE_LIMITED(429, "rate_limited", true),
    /** The upstream failed unexpectedly. */
    PROVIDER_ERROR(502, "provider_error", true),
    /** An async vendor did not finish ingesting in time. */
    INGESTION_TIMEOUT(504, "provider_error", true),
    /** Backend down, pool exhausted, circuit open. */
    PROVIDER_UNAVAILABLE(503, "provider_error", true),
    /** A bug. */
    INTERNAL_ERROR(500, "provider_error", false),
    /** Bad configuration of the SDK itself; never sent on the wire. */
    CONFIGURATION_ERROR(0, "invalid", false);

    private final int httpStatus;
    private final String type;
    private final boolean retryable;

    ErrorCode(int httpStatus, String type, boolean retryable) {
        this.httpStatus = httpStatus;
        this.type = type;
        this.retryable = retryable;
    }

    /** @return the wire code, e.g. {@code "not_found"} */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the HTTP status, 0 for codes that never travel */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the envelope {@code type} */
    public String type() {
        return type;
    }

    /** @return whether retrying may succeed */
    public boolean retryable() {
        return retryable;
    }

    /**
     * @param code a wire code
     * @return the known code, or empty for codes this version does not know
     */
    public static Optional<ErrorCode> fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The one status → code table used when a response carries no OMP envelope (CONTRACT §11).
     *
     * @param status an HTTP status
     * @return the code it maps to
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400, 422 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> SCOPE_DENIED;
            case 404, 410 -> NOT_FOUND;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 429 -> RATE_LIMITED;
            case 503 -> PROVIDER_UNAVAILABLE;
            case 504 -> INGESTION_TIMEOUT;
            default -> status >= 400 && status < 500 ? INVALID_REQUEST : PROVIDER_ERROR;
        };
    }
}
