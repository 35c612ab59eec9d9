package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A request as a simulator sees it.
 *
 * @param method  the method
 * @param path    the path, percent-decoded
 * @param query   query parameters (first value of each)
 * @param headers headers (first value of each; names as sent)
 * @param rawBody the body text, or null
 * @param body    the body as JSON, or null when absent or not JSON
 */
public record SimRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                         String rawBody, JsonNode body) {
    /**
     * @param name a header name, any case
     * @return its value, or null
     */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
