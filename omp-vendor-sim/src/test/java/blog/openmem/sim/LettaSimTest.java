package blog.openmem.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The Letta simulator itself: it answers as the archived server's source does and catches requests that break the file. */
class LettaSimTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(LettaSim sim, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path))
                .header("Authorization", "Bearer " + LettaSim.API_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void archivesAndPassagesAsTheServerAnswers() throws Exception {
        try (LettaSim sim = (LettaSim) new LettaSim().start()) {
            String a = json(send(sim, "POST", "/v1/archives/", "{\"name\":\"omp-user:alice\"}")).path("id").asText();
            send(sim, "POST", "/v1/archives/", "{\"name\":\"omp-user:alice\"}");
            assertEquals(2, sim.archivesNamed("omp-user:alice"), "names are not unique");
            JsonNode named = json(send(sim, "GET", "/v1/archives/?name=omp-user:alice&order=asc&limit=10", null));
            assertEquals(a, named.get(0).path("id").asText(), "oldest first when asked");
            for (int i = 0; i < 3; i++) {
                send(sim, "POST", "/v1/archives/" + a + "/passages", "{\"text\":\"green tea " + i + "\",\"tags\":[\"t"
                        + i + "\"],\"metadata\":{\"omp_v\":1},\"created_at\":\"2026-01-0" + (i + 1) + "T00:00:00Z\"}");
            }
            // Without a query: oldest first; the limit comes before the tag filter; scores are 0.
            JsonNode firstTwo = json(send(sim, "POST", "/v1/passages/search", "{\"archive_id\":\"" + a
                    + "\",\"limit\":2,\"tags\":[\"t2\"]}"));
            assertEquals(0, firstTwo.size(), "t2 is the third passage: cut by the limit before the tag filter");
            JsonNode all = json(send(sim, "POST", "/v1/passages/search", "{\"archive_id\":\"" + a + "\",\"limit\":10}"));
            assertEquals("green tea 0", all.get(0).path("passage").path("text").asText());
            assertEquals(0.0, all.get(0).path("score").asDouble());
            JsonNode window = json(send(sim, "POST", "/v1/passages/search", "{\"archive_id\":\"" + a + "\",\"start_date\":"
                    + "\"2026-01-02T00:00:00Z\",\"end_date\":\"2026-01-02T00:00:00Z\"}"));
            assertEquals(1, window.size(), "start and end dates are inclusive");
            String pid = window.get(0).path("passage").path("id").asText();
            assertEquals(204, send(sim, "DELETE", "/v1/archives/" + a + "/passages/" + pid, null).statusCode());
            HttpResponse<String> gone = send(sim, "DELETE", "/v1/archives/" + a + "/passages/" + pid, null);
            assertEquals(404, gone.statusCode());
            assertEquals(2, sim.passageCount());
            sim.assertClean();
        }
    }

    @Test
    void aRequestBreakingTheFileIsCaught() throws Exception {
        try (LettaSim sim = (LettaSim) new LettaSim().start()) {
            assertEquals(422, send(sim, "POST", "/v1/passages/search", "{\"limit\":500}").statusCode());
            assertThrows(AssertionError.class, sim::assertClean);
        }
    }
}
