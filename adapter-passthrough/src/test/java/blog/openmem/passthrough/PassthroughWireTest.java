package blog.openmem.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire format of CONTRACT §10 and the auto-detection, checked request by request. */
class PassthroughWireTest {
    static final String CAPS = "{\"omp_version\":\"0.1\",\"provider\":\"remote\",\"verbs\":[\"add\",\"get\",\"update\","
            + "\"delete\",\"list\",\"search\",\"context\"],\"features\":{\"scopes\":\"native\",\"idempotent_add\":true,"
            + "\"max_content_length\":10000},\"limits\":{\"max_search_results\":100}}";
    static final String MEMORY = "{\"id\":\"a/b c\",\"user_id\":\"u1\",\"content\":\"likes tea\","
            + "\"created_at\":\"2026-11-24T10:00:00Z\",\"status\":\"done\"}";

    MockWebServer server;
    Memory memory;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        if (memory != null) {
            memory.close();
        }
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    Memory connect() throws Exception {
        server.enqueue(json(200, CAPS));
        memory = Memory.builder().config(base()).build();
        assertEquals("passthrough", memory.providerId());
        assertEquals("/capabilities", server.takeRequest().getTarget());
        return memory;
    }

    static JsonNode body(RecordedRequest r) throws Exception {
        return OmpJson.mapper().readTree(r.getBody().utf8());
    }

    @Test
    void anOmpServerIsDetectedAndItsCapabilitiesCachedAndUsedForGating() throws Exception {
        Memory m = connect();
        assertEquals("remote", m.capabilities().provider());
        assertEquals("remote", m.capabilities().provider());
        UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class, () -> m.audit("u1"));
        assertTrue(e.getMessage().contains("audit"));
        assertEquals(1, server.getRequestCount(), "no re-probe, and a gated verb sends nothing");
        server.enqueue(json(200, CAPS.replace("\"context\"]", "\"context\",\"audit\"]")));
        assertTrue(m.refreshCapabilities().supports(blog.openmem.spi.model.Verb.AUDIT));
        assertEquals(2, server.getRequestCount(), "refreshing asks once");
    }

    @Test
    void aServerThatIsNotOmpIsAClearErrorNamingTheUrl() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html>welcome to nginx</html>").build());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Memory.builder().config(base()).build());
        assertTrue(e.getMessage().contains(base()), e.getMessage());
        assertTrue(e.getMessage().contains("does not answer as an OMP server"), e.getMessage());

        server.enqueue(json(200, "{\"name\":\"some other api\"}"));
        ConfigurationException noVersion = assertThrows(ConfigurationException.class,
                () -> Memory.builder().config(base()).build());
        assertTrue(noVersion.getMessage().contains("omp_version") && noVersion.getMessage().contains("some other api"),
                noVersion.getMessage());

        server.enqueue(json(404, "{\"detail\":\"Not Found\"}"));
        ConfigurationException notFound = assertThrows(ConfigurationException.class,
                () -> Memory.builder().config(base()).build());
        assertTrue(notFound.getMessage().contains("HTTP 404") && notFound.getMessage().contains("Not Found"),
                notFound.getMessage());
        assertEquals(3, server.getRequestCount(), "one probe each, no retry");
    }

    @Test
    void anUnreachableUrlSaysItCannotConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                () -> Memory.builder().config("http://127.0.0.1:" + port).build());
        assertTrue(e.getMessage().contains("cannot connect") && e.getMessage().contains(":" + port), e.getMessage());
    }

    @Test
    void addSendsAnIdempotencyKeyTheRequestIdAndTheApp() throws Exception {
        Memory m = connect().withApp("billing");
        server.enqueue(json(201, MEMORY));
        blog.openmem.spi.model.Memory got = m.add(MemoryInput.builder("u1", "likes tea").scope("prefs").build());
        assertEquals("a/b c", got.id());
        RecordedRequest r = server.takeRequest();
        assertEquals("POST", r.getMethod());
        assertEquals("/memories", r.getTarget());
        assertEquals("likes tea", body(r).get("content").asText());
        assertEquals("prefs", body(r).get("scope").asText());
        assertNotNull(r.getHeaders().get("Idempotency-Key"), "retries are on, so every add carries a key");
        assertNotNull(r.getHeaders().get("X-Request-Id"));
        assertEquals("billing", r.getHeaders().get("X-OMP-App"));
        assertEquals("application/json", r.getHeaders().get("Content-Type"));
    }

    @Test
    void addIdempotentUsesTheCallersKeyAndTells200From201() throws Exception {
        Memory m = connect();
        server.enqueue(json(201, MEMORY));
        server.enqueue(json(200, MEMORY));
        assertTrue(m.addIdempotent(MemoryInput.builder("u1", "likes tea").build(), "key-1").created());
        assertFalse(m.addIdempotent(MemoryInput.builder("u1", "likes tea").build(), "key-1").created());
        assertEquals("key-1", server.takeRequest().getHeaders().get("Idempotency-Key"));
        assertEquals("key-1", server.takeRequest().getHeaders().get("Idempotency-Key"));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void byIdRoutesPercentEncodeTheIdAndSendXUserId() throws Exception {
        Memory m = connect();
        server.enqueue(json(200, MEMORY));
        server.enqueue(json(200, MEMORY));
        server.enqueue(new MockResponse.Builder().code(204).build());
        m.get("a/b c", "u1");
        m.update("a/b c", "u1", MemoryUpdate.builder().scope(null).build());
        m.delete("a/b c", "u1");
        RecordedRequest get = server.takeRequest();
        assertEquals("GET /memories/a%2Fb%20c", get.getMethod() + " " + get.getTarget());
        assertEquals("u1", get.getHeaders().get("X-User-Id"));
        RecordedRequest patch = server.takeRequest();
        assertEquals("PATCH", patch.getMethod());
        assertTrue(body(patch).has("scope") && body(patch).get("scope").isNull(), "explicit null clears (D-10)");
        assertEquals("DELETE /memories/a%2Fb%20c", server.takeRequest().getRequestLine().replace(" HTTP/1.1", ""));
    }

    @Test
    void a404IsNotFoundAndAMissingDeleteIsNotFoundToo() throws Exception {
        Memory m = connect();
        String env = "{\"error\":{\"code\":\"not_found\",\"message\":\"memory 'x' not found\",\"type\":\"not_found\","
                + "\"request_id\":\"r1\"}}";
        server.enqueue(json(404, env));
        server.enqueue(json(404, env));
        assertThrows(NotFoundException.class, () -> m.get("x"));
        assertThrows(NotFoundException.class, () -> m.delete("x"));
        assertEquals(3, server.getRequestCount(), "a 404 is not retried");
    }

    @Test
    void searchIsAGetWithQAndLongQueriesGoAsAPost() throws Exception {
        Memory m = connect();
        server.enqueue(json(200, "{\"results\":[{\"memory\":" + MEMORY + ",\"score\":0.8}]}"));
        var results = m.search(SearchQuery.builder("u1", "what does she drink?").limit(5).minScore(0.1).build());
        assertEquals(1, results.size());
        assertEquals(0.8, results.get(0).score());
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.getMethod());
        assertEquals("what does she drink?", r.getUrl().queryParameter("q"));
        assertEquals("u1", r.getUrl().queryParameter("user_id"));
        assertEquals("5", r.getUrl().queryParameter("limit"));
        assertEquals("0.1", r.getUrl().queryParameter("min_score"));

        server.enqueue(json(200, "{\"results\":[]}"));
        String longQuery = "tea ".repeat(1500);
        assertEquals(0, m.search("u1", longQuery).size());
        RecordedRequest post = server.takeRequest();
        assertEquals("POST /memories/search", post.getMethod() + " " + post.getTarget());
        assertEquals(longQuery, body(post).get("query").asText());
    }

    @Test
    void contextAndListSpeakTheBinding() throws Exception {
        Memory m = connect();
        server.enqueue(json(200, "{\"text\":\"- likes tea [a/b c]\",\"citations\":[{\"memory_id\":\"a/b c\","
                + "\"score\":0.9}],\"token_count\":8}"));
        assertEquals(8, m.context("u1", "drinks", 100).tokenCount());
        RecordedRequest ctx = server.takeRequest();
        assertEquals("POST /context", ctx.getMethod() + " " + ctx.getTarget());
        assertEquals(100, body(ctx).get("token_budget").asInt());

        server.enqueue(json(200, "{\"items\":[" + MEMORY + "],\"next_cursor\":\"c2\"}"));
        assertEquals("c2", m.list("u1").nextCursor());
        assertEquals("u1", server.takeRequest().getUrl().queryParameter("user_id"));
    }

    @Test
    void responsesThatAreNotTheContractAreProviderErrors() throws Exception {
        Memory m = connect();
        server.enqueue(json(200, "{\"hits\":[]}"));
        ProviderException e = assertThrows(ProviderException.class, () -> m.search("u1", "tea"));
        assertTrue(e.getMessage().contains("GET /memories/search"), e.getMessage());
        server.enqueue(json(200, "not json"));
        assertInstanceOf(OmpException.class, assertThrows(ProviderException.class, () -> m.get("x")));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void theApiKeyIsSentAsBearerAndNeverPrinted() throws Exception {
        server.enqueue(json(200, CAPS));
        memory = Memory.builder().config(base()).settings(Map.of("api_key", "omp-key-SECRET-123")).build();
        assertEquals("Bearer omp-key-SECRET-123", server.takeRequest().getHeaders().get("Authorization"));
        server.enqueue(json(401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"bad key omp-key-SECRET-123\","
                + "\"type\":\"auth\",\"request_id\":\"r\"}}"));
        OmpException e = assertThrows(OmpException.class, () -> memory.get("x"));
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertFalse(e.toString().contains("SECRET"));
    }
}
