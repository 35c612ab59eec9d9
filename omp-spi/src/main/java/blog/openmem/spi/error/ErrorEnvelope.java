package blog.openmem.spi.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The JSON error envelope {@code {"error":{code,message,type,provider?,request_id}}} (CONTRACT §9).
 *
 * @param error the body
 */
public record ErrorEnvelope(Body error) {

    /**
     * The inner object of the envelope.
     *
     * @param code      the error code (possibly one this version does not know)
     * @param message   a human-readable message without secrets or stack traces
     * @param type      the error type
     * @param provider  the provider that failed, or null
     * @param requestId the request id, always present on the wire
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Body(String code, String message, String type, String provider, String requestId) {
    }
}
