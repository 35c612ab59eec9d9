package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where a memory came from.
 *
 * @param app  the application that wrote it, e.g. {@code "cursor"}; may be null
 * @param type how it was learnt; may be null
 * @param ref  an opaque pointer back to the source; may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemorySource(String app, SourceType type, String ref) {
    /**
     * @param app the application name
     * @return a source naming only the application
     */
    public static MemorySource ofApp(String app) {
        return new MemorySource(app, null, null);
    }
}
