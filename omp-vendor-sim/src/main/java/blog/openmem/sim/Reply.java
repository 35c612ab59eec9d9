package blog.openmem.sim;

import java.util.Map;

/**
 * A simulator's answer.
 *
 * @param status  the status
 * @param body    a JSON value (maps, lists, strings, numbers, JsonNode), or null for no body
 * @param headers extra headers
 */
public record Reply(int status, Object body, Map<String, String> headers) {
    /**
     * @param status the status
     * @param body   the JSON value
     * @return the reply
     */
    public static Reply of(int status, Object body) {
        return new Reply(status, body, Map.of());
    }
}
