package blog.openmem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The hand-written side of the vendor benchmarks: requests to one simulator with its credential,
 * sent with {@code java.net.http} and parsed to a JSON tree, as an application without the SDK would.
 */
final class RawJson {
    /** The benchmarks' mapper. */
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;

    /**
     * @param base          the simulator's base URL
     * @param authorization the {@code Authorization} header's value
     */
    RawJson(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** @return a request to {@code path} with the credential, accepting JSON */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    /** @return a POST of {@code body} as JSON to {@code path} */
    HttpRequest post(String path, ObjectNode body) throws IOException {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    }

    /** @return the answer of {@code req} sent by {@code client}, which must be 200 */
    static JsonNode send(HttpClient client, HttpRequest req) throws IOException, InterruptedException {
        return check(client.send(req, HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** @return the answer's JSON; a status other than 200 fails the run */
    static JsonNode check(HttpResponse<byte[]> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("raw call: HTTP " + r.statusCode());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
