package blog.openmem.spi.model;

import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;

/**
 * One audit log line (CONTRACT §8).
 *
 * @param timestamp when the operation happened
 * @param app       the caller's app, or null
 * @param action    the verb performed (never {@code audit} itself)
 * @param memoryId  the memory concerned, or null for list/search/context
 * @param scope     the memory's or the query's scope, or null
 * @param requestId the request id of the operation, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"timestamp", "app", "action", "memory_id", "scope", "request_id"})
public record AuditEntry(
        @JsonSerialize(using = Timestamps.Serializer.class) @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant timestamp,
        String app,
        Verb action,
        String memoryId,
        String scope,
        String requestId) {
}
