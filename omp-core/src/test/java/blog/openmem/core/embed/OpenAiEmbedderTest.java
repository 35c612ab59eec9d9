package blog.openmem.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.RateLimitedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbedderTest {
    static final String KEY = "sk-test-DO-NOT-LEAK-123";
    MockWebServer server;
    final List<Duration> sleeps = new ArrayList<>();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    OpenAiEmbedder embedder(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("base_url", server.url("/v1").toString(),
                "model", "test-model", "batch_size", "2", "max_retries", "2", "timeout", "2s"));
        settings.putAll(extra);
        return OpenAiEmbedderFactory.create(new ProviderConfig("openai", null, settings, Map.of("api_key", KEY), null),
                sleeps::add, clock);
    }

    static MockResponse ok(String json) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(json).build();
    }

    @Test
    void batchesKeepsOrderAndSendsTheKey() throws Exception {
        // The server answers out of order: the index decides.
        server.enqueue(ok("{\"data\":[{\"index\":1,\"embedding\":[0,1]},{\"index\":0,\"embedding\":[1,0]}]}"));
        server.enqueue(ok("{\"data\":[{\"index\":0,\"embedding\":[0.5,0.5]}]}"));
        List<float[]> out = embedder(Map.of()).embed(List.of("a", "b", "c"));
        assertArrayEquals(new float[] {1, 0}, out.get(0));
        assertArrayEquals(new float[] {0, 1}, out.get(1));
        assertArrayEquals(new float[] {0.5f, 0.5f}, out.get(2));
        assertEquals(2, server.getRequestCount());
        RecordedRequest r1 = server.takeRequest();
        assertEquals("POST", r1.getMethod());
        assertEquals("/v1/embeddings", r1.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, r1.getHeaders().get("Authorization"));
        JsonNode body = OmpJson.mapper().readTree(r1.getBody().utf8());
        assertEquals("test-model", body.get("model").asText());
        assertEquals(2, body.get("input").size());
        assertFalse(body.has("dimensions"));
        JsonNode body2 = OmpJson.mapper().readTree(server.takeRequest().getBody().utf8());
        assertEquals("c", body2.get("input").get(0).asText());
    }

    @Test
    void retries429HonouringRetryAfterThenSucceeds() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "3").body("{}").build());
        server.enqueue(new MockResponse.Builder().code(503).body("down").build());
        server.enqueue(ok("{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}"));
        float[] v = embedder(Map.of()).embed("x");
        assertEquals(3, v.length);
        assertEquals(3, server.getRequestCount());
        assertEquals(Duration.ofSeconds(3), sleeps.get(0), "Retry-After seconds honoured");
        assertTrue(sleeps.get(1).toMillis() >= 500 && sleeps.get(1).toMillis() <= 1000, "backoff with jitter");
    }

    @Test
    void retryAfterAsHttpDate() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "Tue, 24 Nov 2026 10:00:07 GMT")
                .build());
        server.enqueue(ok("{\"data\":[{\"embedding\":[1]}]}"));
        embedder(Map.of()).embed("x");
        assertEquals(Duration.ofSeconds(7), sleeps.get(0));
    }

    @Test
    void givesUpAfterMaxRetriesWithTheMappedError() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(429).build());
        }
        OmpException e = assertThrows(RateLimitedException.class, () -> embedder(Map.of()).embed("x"));
        assertEquals(3, server.getRequestCount());
        assertEquals(2, sleeps.size());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void unauthorizedIsNotRetriedAndNeverShowsTheKey() {
        server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"bad key " + KEY + "\"}}")
                .build());
        OpenAiEmbedder e = embedder(Map.of());
        UnauthorizedException ex = assertThrows(UnauthorizedException.class, () -> e.embed("x"));
        assertEquals(1, server.getRequestCount());
        assertFalse(ex.getMessage().contains(KEY));
        assertFalse(ex.toString().contains(KEY));
        assertFalse(e.toString().contains(KEY));
    }

    @Test
    void malformedAnswersAreProviderErrors() {
        server.enqueue(ok("not json"));
        assertInstanceOf(ProviderException.class, assertThrows(OmpException.class, () -> embedder(Map.of()).embed("x")));
        server.enqueue(ok("{\"data\":[]}"));
        assertThrows(ProviderException.class, () -> embedder(Map.of()).embed("x"));
    }

    @Test
    void requestsDimensionsWhenConfigured() throws Exception {
        server.enqueue(ok("{\"data\":[{\"embedding\":[1,0,0,0]}]}"));
        OpenAiEmbedder e = embedder(Map.of("dimensions", "4"));
        assertEquals(4, e.dimension());
        assertEquals("test-model@4", e.modelName());
        e.embed("x");
        assertEquals(4, OmpJson.mapper().readTree(server.takeRequest().getBody().utf8()).get("dimensions").asInt());
    }

    @Test
    void unknownDimensionIsLearntFromTheFirstAnswer() {
        server.enqueue(ok("{\"data\":[{\"embedding\":[1,0,0,0,0]}]}"));
        assertEquals(5, embedder(Map.of()).dimension());
    }
}
