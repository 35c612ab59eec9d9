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

/** The Supermemory simulators themselves: they answer as documented and catch requests that break their file. */
class SupermemorySimTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> send(VendorSim sim, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path))
                .header("Authorization", "Bearer " + SupermemorySim.API_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLegacyDocumentLifecycleIsClean() throws Exception {
        try (SupermemoryV4Sim sim = ((SupermemoryV4Sim) new SupermemoryV4Sim().start()).readsUntilDone(1)) {
            String add = "{\"content\":\"I like green tea\",\"containerTag\":\"alice\",\"customId\":\"k1\","
                    + "\"metadata\":{\"omp_tags\":[\"drinks\"],\"n\":1},\"taskType\":\"superrag\"}";
            JsonNode added = JSON.readTree(send(sim, "POST", "/v3/documents", add).body());
            assertEquals("queued", added.path("status").asText());
            String id = added.path("id").asText();
            assertEquals(22, id.length());
            // The same customId lands on the same document.
            assertEquals(id, JSON.readTree(send(sim, "POST", "/v3/documents", add).body()).path("id").asText());
            assertEquals(1, sim.documentCount());
            assertEquals("done", JSON.readTree(send(sim, "GET", "/v3/documents/" + id, null).body()).path("status")
                    .asText());
            JsonNode list = JSON.readTree(send(sim, "POST", "/v3/documents/list", "{\"containerTags\":[\"alice\"],"
                    + "\"filters\":{\"AND\":[{\"key\":\"omp_tags\",\"value\":\"drinks\",\"filterType\":\"array_contains\"}]},"
                    + "\"includeContent\":true,\"limit\":10,\"page\":1}").body());
            assertEquals("I like green tea", list.path("memories").get(0).path("content").asText());
            assertEquals(0, JSON.readTree(send(sim, "POST", "/v3/documents/list", "{\"containerTags\":[\"alice\"],"
                    + "\"filters\":{\"AND\":[{\"key\":\"omp_tags\",\"value\":\"food\",\"filterType\":\"array_contains\"}]}}")
                    .body()).path("memories").size());
            JsonNode hits = JSON.readTree(send(sim, "POST", "/v4/search", "{\"q\":\"green tea\",\"containerTag\":"
                    + "\"alice\",\"searchMode\":\"documents\",\"include\":{\"documents\":true}}").body());
            assertEquals(id, hits.path("results").get(0).path("documents").get(0).path("id").asText());
            assertEquals(0, JSON.readTree(send(sim, "POST", "/v4/search", "{\"q\":\"green tea\",\"containerTag\":"
                    + "\"alice\"}").body()).path("results").size(), "memories mode finds no superrag document");
            assertEquals(204, send(sim, "DELETE", "/v3/documents/" + id, null).statusCode());
            assertEquals(404, send(sim, "DELETE", "/v3/documents/" + id, null).statusCode());
            sim.assertClean();
        }
    }

    @Test
    void aRequestBreakingTheLegacyFileIsCaught() throws Exception {
        try (SupermemoryV4Sim sim = (SupermemoryV4Sim) new SupermemoryV4Sim().start()) {
            // The add's body allows no other properties.
            send(sim, "POST", "/v3/documents", "{\"content\":\"x\",\"containerTag\":\"a\",\"userId\":\"a\"}");
            assertThrows(AssertionError.class, sim::assertClean);
        }
    }

    @Test
    void aV5OptionInTheQueryStringIsRefused() throws Exception {
        try (SupermemoryV5Sim sim = (SupermemoryV5Sim) new SupermemoryV5Sim().start()) {
            assertEquals(400, send(sim, "POST", "/ns/alice/document?taskType=superrag", "{\"content\":\"x\"}")
                    .statusCode());
            assertEquals(0, sim.documentCount());
        }
    }
}
