package blog.openmem.server;

import static blog.openmem.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of bad input gets the right 4xx envelope: never a 500, a stack trace or a hang. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    OmpServer server;
    final String user = "bad-input-" + UUID.randomUUID();

    @BeforeAll
    void start() {
        server = ServerTestSupport.start(null);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The envelope invariant of CONTRACT §9. */
    static void assertEnvelope(Resp r, int status, String field) {
        assertEquals(status, r.status(), r.raw());
        assertNotNull(r.json(), "JSON body: " + r.raw());
        JsonNode e = r.json().get("error");
        assertNotNull(e, r.raw());
        assertFalse(e.path("code").asText().isEmpty());
        assertFalse(e.path("type").asText().isEmpty());
        assertEquals(r.requestId(), e.path("request_id").asText(), "request_id equals X-Request-Id");
        assertFalse(r.raw().contains("Exception") || r.raw().contains("\tat "), "no stack trace: " + r.raw());
        if (field != null) {
            assertTrue(e.path("message").asText().startsWith(field), "names " + field + ": " + e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{|body",
        "[]|body",
        "null|body",
        "\"text\"|body",
        "{\"content\":\"x\"}|user_id",
        "{\"user_id\":\"u\"}|content",
        "{\"content\":\"  \",\"user_id\":\"u\"}|content",
        "{\"content\":\"x\",\"user_id\":\"   \"}|user_id",
        "{\"content\":5,\"user_id\":\"u\"}|content",
        "{\"content\":\"x\",\"user_id\":[\"u\"]}|user_id",
        "{\"content\":\"x\",\"user_id\":\"u\",\"tags\":\"t\"}|tags",
        "{\"content\":\"x\",\"user_id\":\"u\",\"confidence\":1.5}|confidence",
        "{\"content\":\"x\",\"user_id\":\"u\",\"confidence\":\"high\"}|confidence",
        "{\"content\":\"x\",\"user_id\":\"u\",\"valid_from\":\"2026-13-45\"}|valid_from",
        "{\"content\":\"x\",\"user_id\":\"u\",\"valid_to\":\"tomorrow\"}|valid_to",
        "{\"content\":\"x\",\"user_id\":\"u\",\"source\":{\"type\":\"gossip\"}}|source.type",
        "{\"content\":\"x\",\"user_id\":\"u\",\"scope\":\"a//b\"}|scope",
        "{\"content\":\"x\",\"user_id\":\"u\",\"scope\":\"a/*\"}|scope",
        "{\"content\":\"x\",\"user_id\":\"u\",\"supersedes\":[1]}|supersedes",
    })
    void addRejects(String body, String field) throws Exception {
        assertEnvelope(send(server, "POST", "/memories", body), 400, field);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/memories|user_id",
        "/memories?user_id=%20|user_id",
        "/memories?user_id=u&limit=0|limit",
        "/memories?user_id=u&limit=501|limit",
        "/memories?user_id=u&limit=abc|limit",
        "/memories?user_id=u&limit=99999999999999|limit",
        "/memories?user_id=u&since=yesterday|since",
        "/memories?user_id=u&until=2026-01-01|until",
        "/memories?user_id=u&cursor=forged|cursor",
        "/memories?user_id=u&scope=a*b|scope",
        "/memories/search?user_id=u|q",
        "/memories/search?q=%20%20&user_id=u|q",
        "/memories/search?q=x&user_id=u&limit=101|limit",
        "/memories/search?q=x&user_id=u&min_score=2|min_score",
        "/memories/search?q=x&user_id=u&min_score=NaN|min_score",
        "/memories/search?q=x&user_id=u&as_of=never|as_of",
        "/memories/search?q=x&user_id=u&include_superseded=maybe|include_superseded",
        "/audit?user_id=u&limit=1001|limit",
        "/audit|user_id",
    })
    void queriesReject(String path, String field) throws Exception {
        assertEnvelope(send(server, "GET", path, null), 400, field);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/context|{\"user_id\":\"u\"}|query",
        "/context|{\"query\":\"q\",\"user_id\":\"u\",\"token_budget\":0}|token_budget",
        "/context|{\"query\":\"q\",\"user_id\":\"u\",\"token_budget\":100001}|token_budget",
        "/context|{\"query\":\"q\",\"user_id\":\"u\",\"token_budget\":1e40}|token_budget",
        "/context|{\"query\":\"q\",\"user_id\":\"u\",\"token_budget\":\"10\"}|token_budget",
        "/memories/search|{\"query\":7,\"user_id\":\"u\"}|query",
        "/memories/search|{\"query\":\"q\",\"user_id\":\"u\",\"as_of\":\"soon\"}|as_of",
    })
    void postBodiesReject(String path, String body, String field) throws Exception {
        assertEnvelope(send(server, "POST", path, body), 400, field);
    }

    @Test
    void patchRejects() throws Exception {
        Resp created = send(server, "POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + user + "\"}");
        String id = created.json().get("id").asText();
        assertEnvelope(send(server, "PATCH", "/memories/" + id, "{\"content\":null}"), 400, "content");
        assertEnvelope(send(server, "PATCH", "/memories/" + id, "{\"tags\":[1]}"), 400, "tags");
        assertEnvelope(send(server, "PATCH", "/memories/" + id, "{\"valid_to\":\"x\"}"), 400, "valid_to");
        assertEnvelope(send(server, "PATCH", "/memories/" + id, "[1]"), 400, "body");
        assertEquals("x", send(server, "GET", "/memories/" + id, null).json().get("content").asText(),
                "a rejected update changed nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/memories/a%2Fb", "/memories/%25", "/memories/..%2F..", "/memories/%E6%9D%B1%E4%BA%AC",
        "/memories/%00", "/memories/mem_%27%20OR%201%3D1", "/memories/" + "x"})
    void oddIdsAreNotFoundNeverErrors(String path) throws Exception {
        Resp r = send(server, "GET", path, null);
        assertTrue(r.status() == 404 || r.status() == 400, path + " -> " + r.status() + " " + r.raw());
        assertEnvelope(r, r.status(), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "_", "%_%", "' OR '1'='1", "a\\b", "x;DROP TABLE omp_memories"})
    void sqlLookingScopesAreData(String scope) throws Exception {
        send(server, "POST", "/memories", "{\"content\":\"plain\",\"user_id\":\"" + user + "\",\"scope\":\"real\"}");
        Resp r = send(server, "GET", "/memories?user_id=" + enc(user) + "&scope=" + enc(scope), null);
        assertEquals(200, r.status(), r.raw());
        assertEquals(0, r.json().get("items").size(), "matched nothing: " + scope);
        Resp s = send(server, "GET", "/memories/search?q=plain&user_id=" + enc(user) + "&scope=" + enc(scope), null);
        assertEquals(0, s.json().get("results").size());
    }

    @Test
    void aCursorFromAnotherQueryIsRejected() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(server, "POST", "/memories", "{\"content\":\"c" + i + "\",\"user_id\":\"" + user + "\"}");
        }
        String cursor = send(server, "GET", "/memories?limit=1&user_id=" + enc(user), null).json().get("next_cursor")
                .asText();
        assertEnvelope(send(server, "GET", "/memories?limit=1&tag=t&user_id=" + enc(user) + "&cursor=" + enc(cursor),
                null), 400, "cursor");
    }

    @Test
    void oversizeBodiesAre413DeclaredOrChunked() throws Exception {
        byte[] declared = ("POST /memories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + (5 * 1024 * 1024) + "\r\n\r\n{\"content\":\"").getBytes(StandardCharsets.US_ASCII);
        String r1 = ServerTestSupport.raw(server, declared);
        assertEquals(413, ServerTestSupport.rawStatus(r1), r1);
        assertEquals("payload_too_large", ServerTestSupport.rawJson(r1).path("error").path("code").asText());

        StringBuilder chunked = new StringBuilder("POST /memories HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        String chunk = "a".repeat(64 * 1024);
        for (int i = 0; i < 24; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        String r2 = ServerTestSupport.raw(server, chunked.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(413, ServerTestSupport.rawStatus(r2), r2.substring(0, Math.min(300, r2.length())));
        assertEquals("payload_too_large", ServerTestSupport.rawJson(r2).path("error").path("code").asText());
    }

    @Test
    void headersWithControlCharactersAreRejectedWithAnEnvelope() throws Exception {
        for (String header : new String[] {"X-Test: a\r\n b", "X-Test: a\rb", "X-Request-Id: a\u0000b"}) {
            String resp = ServerTestSupport.raw(server, ("GET /capabilities HTTP/1.1\r\nHost: x\r\n" + header
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int status = ServerTestSupport.rawStatus(resp);
            assertEquals(400, status, header + " -> " + resp);
            JsonNode json = ServerTestSupport.rawJson(resp);
            assertNotNull(json, "envelope for " + header + ": " + resp);
            assertEquals("invalid_request", json.path("error").path("code").asText());
        }
        Resp r = send(server, "GET", "/capabilities", null, "X-Request-Id", "../../etc/passwd%0d");
        assertEquals(200, r.status());
        assertTrue(r.requestId().startsWith("req_"), "an unsafe request id is replaced");
    }

    @Test
    void unknownRoutesAndMethods() throws Exception {
        assertEnvelope(send(server, "GET", "/nope", null), 404, null);
        assertEnvelope(send(server, "GET", "/memories/search/extra", null), 404, null);
        assertEnvelope(send(server, "PUT", "/memories", "{}"), 405, null);
        assertEnvelope(send(server, "DELETE", "/capabilities", null), 405, null);
        assertEnvelope(send(server, "POST", "/audit", "{}"), 405, null);
    }
}
