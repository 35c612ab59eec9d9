package blog.openmem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Mem0OssSimTest {
    final Mem0OssSim sim = (Mem0OssSim) new Mem0OssSim().start();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        sim.close();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).header("X-API-Key", Mem0OssSim.API_KEY)
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDocumentedConversationIsClean() throws Exception {
        HttpResponse<String> add = send("POST", "/memories", "{\"messages\":[{\"role\":\"user\",\"content\":\"tea\"}],"
                + "\"user_id\":\"alice\",\"infer\":false,\"metadata\":{\"omp_v\":1}}");
        assertEquals(200, add.statusCode(), add.body());
        String id = new ObjectMapper().readTree(add.body()).path("results").get(0).path("id").asText();
        assertEquals("tea", new ObjectMapper().readTree(send("GET", "/memories/" + id, null).body()).path("memory")
                .asText());
        assertEquals("null", send("GET", "/memories/00000000-0000-0000-0000-000000000000", null).body());
        assertEquals(200, send("PUT", "/memories/" + id, "{\"text\":\"green tea\"}").statusCode());
        assertEquals(1, new ObjectMapper().readTree(send("GET", "/memories?user_id=alice&top_k=10", null).body())
                .path("results").size());
        assertEquals(1, new ObjectMapper().readTree(send("POST", "/search", "{\"query\":\"tea\",\"filters\":"
                + "{\"user_id\":\"alice\"}}").body()).path("results").size());
        assertEquals(200, send("DELETE", "/memories/" + id, null).statusCode());
        assertEquals(404, send("DELETE", "/memories/" + id, null).statusCode());
        sim.assertClean();
    }

    @Test
    void aRequestOutsideTheFileIsAViolation() throws Exception {
        send("POST", "/search", "{\"filters\":{\"user_id\":\"a\"}}");
        assertFalse(sim.violations().isEmpty());
    }
}
