package blog.openmem.server;

import static blog.openmem.server.BadInputTest.assertEnvelope;
import static blog.openmem.server.BadInputTest.enc;
import static blog.openmem.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attacker or a careless client tried on the server (grants on every path, poison-proof
 * storage, malformed text and out-of-range values as 400s, CORS, an exact audit log).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningTest {
    static final String ADMIN = "admin-" + UUID.randomUUID();
    static final String WORK = "work-" + UUID.randomUUID();
    static final String HEALTH = "health-" + UUID.randomUUID();
    static final String HEALTH_WRITER = "hw-" + UUID.randomUUID();
    static final String TWO_READS = "two-" + UUID.randomUUID();
    static final String ALICE_ONLY = "alice-" + UUID.randomUUID();
    static final String ALICE = "alice-user-" + UUID.randomUUID();
    final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    OmpServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, "{\"keys\":["
                + key("admin", ADMIN, "\"read:*\",\"write:*\",\"delete:*\"")
                + "," + key("workapp", WORK, "\"read:work\",\"write:work\"")
                + "," + key("healthapp", HEALTH, "\"read:health\",\"write:health\"")
                + "," + key("healthwriter", HEALTH_WRITER, "\"write:health\"")
                + "," + key("tworeads", TWO_READS, "\"read:work\",\"read:personal\"")
                + ",{\"app\":\"aliceapp\",\"key_sha256\":\"" + ApiKeys.hash(ALICE_ONLY) + "\",\"users\":[\"" + ALICE
                + "\"],\"grants\":[\"read:*\",\"write:*\",\"delete:*\"]}"
                + "]}");
        ServerConfig config = ServerConfig.parse(new String[] {"--url", ServerTestSupport.pgUrl(), "--port", "0",
            "--embedder", "hash", "--api-keys-file", keys.toString(), "--cors-origins", "https://app.example.com"},
                new java.util.HashMap<>());
        server = OmpServer.start(config, new PrintStream(accessLog, true, StandardCharsets.UTF_8));
    }

    static String key(String app, String key, String grants) {
        return "{\"app\":\"" + app + "\",\"key_sha256\":\"" + ApiKeys.hash(key) + "\",\"users\":[\"*\"],\"grants\":["
                + grants + "]}";
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static String user() {
        return "u-" + UUID.randomUUID();
    }

    Resp add(String key, String json) throws Exception {
        return send(server, "POST", "/memories", json, "X-API-Key", key);
    }

    String addId(String user, String content, String scope) throws Exception {
        Resp r = add(ADMIN, "{\"content\":\"" + content + "\",\"user_id\":\"" + user + "\""
                + (scope == null ? "" : ",\"scope\":\"" + scope + "\"") + "}");
        assertEquals(201, r.status(), r.raw());
        return r.json().get("id").asText();
    }

    // 1 ------------------------------------------------------------------------------------------

    @Test
    void extensionValuesAreBoundedAtTheDoor() throws Exception {
        String u = user();
        String deep32 = "[".repeat(32) + "1" + "]".repeat(32);
        String deep33 = "[".repeat(33) + "1" + "]".repeat(33);
        assertEquals(201, add(ADMIN, "{\"content\":\"ok\",\"user_id\":\"" + u + "\",\"x-deep\":" + deep32 + "}")
                .status());
        assertEnvelope(add(ADMIN, "{\"content\":\"no\",\"user_id\":\"" + u + "\",\"x-deep\":" + deep33 + "}"), 400,
                "x-deep");
        String deep998 = "[".repeat(998) + "1" + "]".repeat(998);
        assertEnvelope(add(ADMIN, "{\"content\":\"no\",\"user_id\":\"" + u + "\",\"x-deep\":" + deep998 + "}"), 400,
                "x-deep");
        String big = "a".repeat(70_000);
        assertEnvelope(add(ADMIN, "{\"content\":\"no\",\"user_id\":\"" + u + "\",\"x-big\":\"" + big + "\"}"), 400,
                "x-");
        StringBuilder many = new StringBuilder("{\"content\":\"no\",\"user_id\":\"" + u + "\"");
        for (int i = 0; i < 65; i++) {
            many.append(",\"x-f").append(i).append("\":1");
        }
        assertEnvelope(add(ADMIN, many.append('}').toString()), 400, "x-");
        assertEquals(1, send(server, "GET", "/memories?user_id=" + u, null, "X-API-Key", ADMIN).json()
                .get("items").size(), "nothing refused was stored");
    }

    @Test
    void aDeepValueAlreadyStoredCanStillBeListedAndSearched() throws Exception {
        String u = user();
        String id = addId(u, "poisoned memory about sailing", null);
        addId(u, "an ordinary memory about sailing", null);
        String deep = "[".repeat(998) + "1" + "]".repeat(998);
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", null);
             PreparedStatement ps = c.prepareStatement("UPDATE omp_memories SET extensions = jsonb_build_object("
                     + "'x-deep', ?::jsonb) WHERE id = ?")) {
            ps.setString(1, deep);
            ps.setString(2, id);
            assertEquals(1, ps.executeUpdate());
        }
        Resp list = send(server, "GET", "/memories?user_id=" + u + "&limit=1", null, "X-API-Key", ADMIN);
        assertEquals(200, list.status(), list.raw());
        JsonNode page = deep(list.raw());
        assertEquals(1, page.get("items").size());
        Resp next = send(server, "GET", "/memories?user_id=" + u + "&limit=1&cursor="
                + enc(page.get("next_cursor").asText()), null, "X-API-Key", ADMIN);
        assertEquals(200, next.status(), next.raw());
        assertEquals(1, deep(next.raw()).get("items").size(), "list pages past it");
        Resp search = send(server, "GET", "/memories/search?q=sailing&user_id=" + u, null, "X-API-Key", ADMIN);
        assertEquals(200, search.status(), search.raw());
        assertEquals(2, deep(search.raw()).get("results").size());
        assertEquals(200, send(server, "GET", "/memories/" + id, null, "X-API-Key", ADMIN).status());
    }

    /** Parses a response holding a value deeper than the default reader allows. */
    static JsonNode deep(String json) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxNestingDepth(5_000).build()).build()).readTree(json);
    }

    static String jdbcUrl() {
        String url = ServerTestSupport.pgUrl();
        return "jdbc:postgresql://" + url.substring(url.indexOf('@') + 1);
    }

    // 3 and 8 ------------------------------------------------------------------------------------

    @Test
    void idempotencyKeysArePerAppAndAReplayNeverRevealsWhatTheCallerCannotRead() throws Exception {
        String u = user();
        String key = "k-" + UUID.randomUUID();
        Resp health = send(server, "POST", "/memories", "{\"content\":\"blood pressure 130/85\",\"user_id\":\"" + u
                + "\",\"scope\":\"health\"}", "X-API-Key", HEALTH, "Idempotency-Key", key);
        assertEquals(201, health.status(), health.raw());
        Resp work = send(server, "POST", "/memories", "{\"content\":\"standup at 9\",\"user_id\":\"" + u
                + "\",\"scope\":\"work\"}", "X-API-Key", WORK, "Idempotency-Key", key);
        assertEquals(201, work.status(), "another app's key is another request: " + work.raw());
        assertFalse(work.raw().contains("blood pressure"));
        assertNotEquals(health.json().get("id").asText(), work.json().get("id").asText());
        Resp replay = send(server, "POST", "/memories", "{\"content\":\"standup at 9\",\"user_id\":\"" + u
                + "\",\"scope\":\"work\"}", "X-API-Key", WORK, "Idempotency-Key", key);
        assertEquals(200, replay.status());
        assertEquals(work.json().get("id").asText(), replay.json().get("id").asText());

        // An app that may write health but not read it cannot read through a replay.
        String key2 = "k-" + UUID.randomUUID();
        Resp first = send(server, "POST", "/memories", "{\"content\":\"note\",\"user_id\":\"" + u
                + "\",\"scope\":\"health\"}", "X-API-Key", HEALTH_WRITER, "Idempotency-Key", key2);
        assertEquals(201, first.status(), first.raw());
        Resp denied = send(server, "POST", "/memories", "{\"content\":\"note\",\"user_id\":\"" + u
                + "\",\"scope\":\"health\"}", "X-API-Key", HEALTH_WRITER, "Idempotency-Key", key2);
        assertEnvelope(denied, 403, null);
        assertTrue(denied.json().path("error").path("message").asText().contains("lacks read:health"), denied.raw());
    }

    @Test
    void racingRepeatsOfOneKeyCreateOneMemoryAndOne201() throws Exception {
        String u = user();
        String key = "race-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Resp>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return send(server, "POST", "/memories", "{\"content\":\"once\",\"user_id\":\"" + u + "\"}",
                            "X-API-Key", ADMIN, "Idempotency-Key", key);
                }));
            }
            go.countDown();
            int created = 0;
            Set<String> ids = new HashSet<>();
            for (Future<Resp> f : calls) {
                Resp r = f.get(60, TimeUnit.SECONDS);
                assertTrue(r.status() == 201 || r.status() == 200, r.raw());
                created += r.status() == 201 ? 1 : 0;
                ids.add(r.json().get("id").asText());
            }
            assertEquals(1, created, "exactly one caller is told 201 Created");
            assertEquals(1, ids.size());
            assertEquals(1, send(server, "GET", "/memories?user_id=" + u, null, "X-API-Key", ADMIN).json()
                    .get("items").size());
        } finally {
            pool.shutdownNow();
        }
    }

    // 4 ------------------------------------------------------------------------------------------

    @Test
    void aWriteGrantAloneCannotReadThroughPatch() throws Exception {
        String u = user();
        String id = addId(u, "diagnosis: secret", "health");
        assertEnvelope(send(server, "GET", "/memories/" + id, null, "X-API-Key", HEALTH_WRITER), 403, null);
        Resp patch = send(server, "PATCH", "/memories/" + id, "{}", "X-API-Key", HEALTH_WRITER);
        assertEnvelope(patch, 403, null);
        assertTrue(patch.json().path("error").path("message").asText().contains("lacks read:health"), patch.raw());
        assertFalse(patch.raw().contains("diagnosis"));
        Resp ok = send(server, "PATCH", "/memories/" + id, "{\"tags\":[\"x\"]}", "X-API-Key", HEALTH);
        assertEquals(200, ok.status(), ok.raw());
    }

    // 5 and 6 ------------------------------------------------------------------------------------

    @Test
    void nulCharactersAnywhereAre400NamingTheField() throws Exception {
        String u = user();
        String[][] bodies = {
            {"{\"content\":\"a\",\"user_id\":\"a\\u0000b\"}", "user_id"},
            {"{\"content\":\"a\",\"user_id\":\"" + u + "\",\"tags\":[\"t\\u0000\"]}", "tags[0]"},
            {"{\"content\":\"a\",\"user_id\":\"" + u + "\",\"x-k\\u0000\":1}", "x-"},
            {"{\"content\":\"a\",\"user_id\":\"" + u + "\",\"x-k\":{\"a\":[\"v\\u0000\"]}}", "x-k"},
            {"{\"content\":\"a\",\"user_id\":\"" + u + "\",\"source\":{\"app\":\"a\\u0000\"}}", "source.app"},
            {"{\"content\":\"a\",\"user_id\":\"" + u + "\",\"supersedes\":[\"m\\u0000\"]}", "supersedes[0]"},
        };
        for (String[] b : bodies) {
            assertEnvelope(add(ADMIN, b[0]), 400, b[1]);
        }
        assertEnvelope(send(server, "POST", "/memories/search", "{\"query\":\"q\\u0000\",\"user_id\":\"" + u + "\"}",
                "X-API-Key", ADMIN), 400, "query");
        assertEnvelope(send(server, "GET", "/memories/search?q=a%00b&user_id=" + u, null, "X-API-Key", ADMIN), 400,
                "q");
        assertEnvelope(send(server, "GET", "/memories?user_id=" + u + "&tag=a%00", null, "X-API-Key", ADMIN), 400,
                "tag");
        assertEnvelope(send(server, "GET", "/audit?user_id=" + u + "&app=a%00", null, "X-API-Key", ADMIN), 400,
                "app");
        assertEnvelope(send(server, "GET", "/memories/mem%00x", null, "X-API-Key", ADMIN), 400, null);
        assertEquals(0, send(server, "GET", "/memories?user_id=" + u, null, "X-API-Key", ADMIN).json().get("items")
                .size());
    }

    @Test
    void timestampsOutsideYears1To9999Are400() throws Exception {
        String u = user();
        assertEnvelope(add(ADMIN, "{\"content\":\"a\",\"user_id\":\"" + u + "\",\"valid_from\":\"+10000-01-01T00:00:00Z\"}"),
                400, "valid_from");
        assertEnvelope(add(ADMIN, "{\"content\":\"a\",\"user_id\":\"" + u + "\",\"valid_to\":\"-0001-01-01T00:00:00Z\"}"),
                400, "valid_to");
        String id = addId(u, "a", null);
        assertEnvelope(send(server, "PATCH", "/memories/" + id, "{\"valid_to\":\"+20000-01-01T00:00:00Z\"}",
                "X-API-Key", ADMIN), 400, "valid_to");
        assertEnvelope(send(server, "GET", "/memories?user_id=" + u + "&since=" + enc("+300000-01-01T00:00:00Z"), null,
                "X-API-Key", ADMIN), 400, "since");
        assertEnvelope(send(server, "GET", "/memories?user_id=" + u + "&until=" + enc("-5000-01-01T00:00:00Z"), null,
                "X-API-Key", ADMIN), 400, "until");
        assertEnvelope(send(server, "GET", "/audit?user_id=" + u + "&since=" + enc("+10000-01-01T00:00:00Z"), null,
                "X-API-Key", ADMIN), 400, "since");
        Resp edge = add(ADMIN, "{\"content\":\"edge\",\"user_id\":\"" + u + "\",\"valid_from\":\"0001-01-01T00:00:00Z\","
                + "\"valid_to\":\"9999-12-31T23:59:59Z\"}");
        assertEquals(201, edge.status(), edge.raw());
    }

    @Test
    void malformedUnicodeIs400AndNeverStoredAsSomethingElse() throws Exception {
        String u = user();
        assertEnvelope(add(ADMIN, "{\"content\":\"a\",\"user_id\":\"x\\ud800\"}"), 400, "user_id");
        assertEnvelope(add(ADMIN, "{\"content\":\"lone \\udc00\",\"user_id\":\"" + u + "\"}"), 400, "content");
        assertEnvelope(add(ADMIN, "{\"content\":\"a\",\"user_id\":\"" + u + "\",\"scope\":\"s\\ud800\"}"), 400, "scope");
        assertEquals(201, add(ADMIN, "{\"content\":\"a pair \\ud83c\\udf89 is fine\",\"user_id\":\"" + u + "\"}")
                .status());
        // C0 AF is an overlong '/': refused, not decoded.
        byte[] body = blog.openmem.tck.http.HttpConformance.overlongSlash("{\"content\":\"a",
                "b\",\"user_id\":\"" + u + "\"}");
        java.net.http.HttpResponse<String> r = ServerTestSupport.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ServerTestSupport.base(server) + "/memories")).header("X-API-Key", ADMIN)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("UTF-8"), r.body());
        assertEnvelope(send(server, "GET", "/memories/search?q=a%C0%AFb&user_id=" + u, null, "X-API-Key", ADMIN), 400,
                "q");
        assertEquals(1, send(server, "GET", "/memories?user_id=" + u, null, "X-API-Key", ADMIN).json().get("items")
                .size());
    }

    // 7 ------------------------------------------------------------------------------------------

    @Test
    void notFoundCannotTellAnotherUsersMemoryFromAMissingOne() throws Exception {
        String alice = user();
        String bob = user();
        String bobs = addId(bob, "bob's", null);
        String missing = "mem_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            String body = method.equals("PATCH") ? "{}" : null;
            // Named by X-User-Id, and hidden because the key may act only for another user.
            Resp other = send(server, method, "/memories/" + bobs, body, "X-API-Key", ADMIN, "X-User-Id", alice);
            Resp notHers = send(server, method, "/memories/" + bobs, body, "X-API-Key", ALICE_ONLY);
            Resp none = send(server, method, "/memories/" + missing, body, "X-API-Key", ADMIN, "X-User-Id", alice);
            Resp noneForHer = send(server, method, "/memories/" + missing, body, "X-API-Key", ALICE_ONLY);
            for (Resp r : List.of(other, notHers, none, noneForHer)) {
                assertEnvelope(r, 404, null);
            }
            assertEquals(shape(none, missing), shape(other, bobs), method);
            assertEquals(shape(none, missing), shape(notHers, bobs), method);
            assertEquals(shape(none, missing), shape(noneForHer, missing), method);
        }
        assertEquals(200, send(server, "GET", "/memories/" + bobs, null, "X-API-Key", ADMIN).status(), "still there");
    }

    /** The envelope with its request id removed and the id in the message replaced. */
    static String shape(Resp r, String id) {
        com.fasterxml.jackson.databind.node.ObjectNode e = ((com.fasterxml.jackson.databind.node.ObjectNode) r.json()
                .get("error")).deepCopy();
        e.remove("request_id");
        e.put("message", e.path("message").asText().replace(id, "ID"));
        return e.toString();
    }

    // 9 ------------------------------------------------------------------------------------------

    @Test
    void supersedesIsBounded() throws Exception {
        String u = user();
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            ids.append(i == 0 ? "" : ",").append("\"mem_").append(i).append('"');
        }
        assertEnvelope(add(ADMIN, "{\"content\":\"a\",\"user_id\":\"" + u + "\",\"supersedes\":[" + ids + "]}"), 400,
                "supersedes");
        String id = addId(u, "grows", null);
        for (int round = 0; round < 10; round++) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append("\"mem_").append(round).append('_').append(i).append('"');
            }
            assertEquals(200, send(server, "PATCH", "/memories/" + id, "{\"supersedes\":[" + batch + "]}", "X-API-Key",
                    ADMIN).status());
        }
        Resp over = send(server, "PATCH", "/memories/" + id, "{\"supersedes\":[\"mem_one_more\"]}", "X-API-Key", ADMIN);
        assertEnvelope(over, 400, "supersedes");
        assertEquals(1000, send(server, "GET", "/memories/" + id, null, "X-API-Key", ADMIN).json().get("supersedes")
                .size());
    }

    // 10 -----------------------------------------------------------------------------------------

    @Test
    void severalReadGrantsGetFullResultsFromSearchContextAndAudit() throws Exception {
        String u = user();
        List<String> adds = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            adds.add("{\"content\":\"marathon training plan week " + i + " marathon marathon\",\"user_id\":\"" + u
                    + "\",\"scope\":\"health\"}");
        }
        for (String a : adds) {
            assertEquals(201, add(ADMIN, a).status());
        }
        String work = addId(u, "marathon sponsorship meeting", "work/events");
        String personal = addId(u, "cheer at the marathon", "personal");
        Resp search = send(server, "GET", "/memories/search?q=marathon&limit=5&user_id=" + u, null, "X-API-Key",
                TWO_READS);
        assertEquals(200, search.status(), search.raw());
        Set<String> found = new HashSet<>();
        search.json().get("results").forEach(r -> found.add(r.path("memory").path("id").asText()));
        assertEquals(Set.of(work, personal), found);
        Resp context = send(server, "POST", "/context", "{\"query\":\"marathon\",\"user_id\":\"" + u + "\"}",
                "X-API-Key", TWO_READS);
        assertEquals(200, context.status(), context.raw());
        assertEquals(2, context.json().get("citations").size());
        assertFalse(context.json().get("text").asText().contains("training plan"));
        Resp list = send(server, "GET", "/memories?limit=2&user_id=" + u, null, "X-API-Key", TWO_READS);
        assertEquals(2, list.json().get("items").size(), "a full page, not a page of what survived a filter");
        // The audit log holds 122 adds in health and the reads; limit counts only entries it may read.
        Resp audit = send(server, "GET", "/audit?limit=3&user_id=" + u, null, "X-API-Key", TWO_READS);
        assertEquals(200, audit.status(), audit.raw());
        JsonNode entries = audit.json().get("entries");
        assertEquals(2, entries.size(), audit.raw());
        entries.forEach(e -> assertTrue(Set.of("work/events", "personal").contains(e.path("scope").asText()),
                e.toString()));
    }

    // 11 -----------------------------------------------------------------------------------------

    @Test
    void corsPreflightSucceedsForConfiguredOriginsBeforeAuth() throws Exception {
        Resp pre = send(server, "OPTIONS", "/memories", null, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");
        assertTrue(pre.status() >= 200 && pre.status() < 300, pre.status() + " " + pre.raw());
        java.net.http.HttpResponse<String> raw = ServerTestSupport.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ServerTestSupport.base(server) + "/memories/search")).method("OPTIONS",
                java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers",
                        "authorization,content-type").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("https://app.example.com", raw.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(raw.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()
                .contains("authorization"), raw.headers().toString());
        assertTrue(raw.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"),
                raw.headers().toString());
        java.net.http.HttpResponse<String> refused = ServerTestSupport.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ServerTestSupport.base(server) + "/memories")).method("OPTIONS",
                java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), refused.headers().toString());
        // The actual request from the allowed origin carries the allow and expose headers.
        java.net.http.HttpResponse<String> actual = ServerTestSupport.HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ServerTestSupport.base(server) + "/capabilities")).header("Origin",
                "https://app.example.com").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("https://app.example.com", actual.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(actual.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("X-Request-Id"));
    }

    // 12 -----------------------------------------------------------------------------------------

    @Test
    void theAuditLogListsExactlyWhatTheCallerDid() throws Exception {
        String u = user();
        String id = addId(u, "audited", "work");
        assertEquals(200, send(server, "PATCH", "/memories/" + id, "{\"tags\":[\"a\"]}", "X-API-Key", ADMIN).status());
        assertEquals(204, send(server, "DELETE", "/memories/" + id, null, "X-API-Key", ADMIN).status());
        Resp audit = send(server, "GET", "/audit?user_id=" + u, null, "X-API-Key", ADMIN);
        List<String> actions = new ArrayList<>();
        audit.json().get("entries").forEach(e -> actions.add(e.path("action").asText()));
        assertEquals(List.of("delete", "update", "add"), actions);
    }

    // 13 -----------------------------------------------------------------------------------------

    @Test
    void requestsJettyRejectsHaveAnAccessLogLineAndTheEnvelope() throws Exception {
        String big = "a".repeat(20_000);
        String raw = ServerTestSupport.raw(server, ("GET /capabilities HTTP/1.1\r\nHost: x\r\nX-Big: " + big
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(431, ServerTestSupport.rawStatus(raw), raw);
        JsonNode env = ServerTestSupport.rawJson(raw);
        assertNotNull(env, raw);
        assertEquals("invalid_request", env.path("error").path("code").asText());
        String rid = env.path("error").path("request_id").asText();
        assertFalse(rid.isEmpty());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!accessLog.toString(StandardCharsets.UTF_8).contains(rid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String line = accessLog.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(rid)).findFirst()
                .orElse("");
        assertTrue(line.contains(" 431 "), "access log: " + accessLog.toString(StandardCharsets.UTF_8));
        assertFalse(line.contains(big.substring(0, 50)), "never headers in the log");
    }
}
