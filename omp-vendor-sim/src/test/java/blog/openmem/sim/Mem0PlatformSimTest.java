package blog.openmem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator itself: it answers as documented and catches requests that break the file. */
class Mem0PlatformSimTest {
    final Mem0PlatformSim sim = (Mem0PlatformSim) new Mem0PlatformSim().start();
    final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void stop() {
        sim.close();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path))
                .header("Authorization", "Token " + Mem0PlatformSim.API_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDocumentedConversationIsClean() throws Exception {
        HttpResponse<String> add = send("POST", "/v3/memories/add/", "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"I like tea\"}],\"user_id\":\"alice\",\"infer\":false,\"metadata\":{\"omp_v\":1}}");
        assertEquals(200, add.statusCode(), add.body());
        String id = JSON.readTree(add.body()).path("results").get(0).path("id").asText();
        assertEquals(200, send("GET", "/v1/memories/" + id + "/", null).statusCode());
        JsonNode list = JSON.readTree(send("POST", "/v3/memories/?page=1&page_size=10",
                "{\"filters\":{\"AND\":[{\"user_id\":\"alice\"},{\"metadata\":{\"omp_v\":1}}]}}").body());
        assertEquals(1, list.path("count").asInt());
        JsonNode hits = JSON.readTree(send("POST", "/v3/memories/search/", "{\"query\":\"tea\",\"filters\":"
                + "{\"user_id\":\"alice\"}}").body());
        assertEquals(1.0, hits.path("results").get(0).path("score").asDouble());
        HttpResponse<String> queued = send("POST", "/v3/memories/add/", "{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"I moved to Austin\"}],\"user_id\":\"alice\"}");
        String event = JSON.readTree(queued.body()).path("event_id").asText();
        assertEquals("RUNNING", JSON.readTree(send("GET", "/v1/event/" + event + "/", null).body()).path("status")
                .asText());
        assertEquals("SUCCEEDED", JSON.readTree(send("GET", "/v1/event/" + event + "/", null).body()).path("status")
                .asText());
        assertEquals(200, send("DELETE", "/v1/memories/" + id + "/", null).statusCode());
        assertEquals(404, send("DELETE", "/v1/memories/" + id + "/", null).statusCode());
        sim.assertClean();
    }

    @Test
    void aRequestThatBreaksTheFileIsAViolation() throws Exception {
        send("POST", "/v3/memories/add/", "{\"user_id\":\"alice\"}");
        assertEquals(400, send("GET", "/v1/memories/not-a-uuid/", null).statusCode());
        send("POST", "/v3/memories/search/", "{\"query\":\"x\",\"filters\":{\"user_id\":\"a\"},\"top_k\":5000}");
        assertFalse(sim.violations().isEmpty());
        assertTrue(sim.violations().stream().anyMatch(v -> v.contains("messages")), sim.violations().toString());
        assertTrue(sim.violations().stream().anyMatch(v -> v.contains("top_k") || v.contains("5000")),
                sim.violations().toString());
        assertThrows(AssertionError.class, sim::assertClean);
    }

    @Test
    void faultsAreServedInOrderAndCounted() throws Exception {
        sim.inject(Fault.rateLimited(3), Fault.status(503, "{}"));
        HttpResponse<String> limited = send("GET", "/v1/ping/", null);
        assertEquals(429, limited.statusCode());
        assertEquals("3", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals(503, send("GET", "/v1/ping/", null).statusCode());
        assertEquals(200, send("GET", "/v1/ping/", null).statusCode());
        sim.inject(Fault.slow(java.time.Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        assertEquals(200, send("GET", "/v1/ping/", null).statusCode(), "a slow answer is still the normal one");
        assertTrue(System.nanoTime() - t0 >= 300_000_000L, "answered after the delay");
        assertEquals(4, sim.requestCount());
        sim.assertClean();
    }
}
