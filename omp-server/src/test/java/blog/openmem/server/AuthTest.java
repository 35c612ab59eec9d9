package blog.openmem.server;

import static blog.openmem.server.ServerTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** API keys, users and grants (CONTRACT §4, §10). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {
    static final String ADMIN = "admin-key-" + UUID.randomUUID();
    static final String ALICE = "alice-key-" + UUID.randomUUID();
    static final String HEALTH = "health-key-" + UUID.randomUUID();
    final String alice = "alice-" + UUID.randomUUID();
    final String bob = "bob-" + UUID.randomUUID();
    OmpServer server;
    String bobsSecretId;
    String alicesCodingId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, "{\"keys\":["
                + "{\"app\":\"admin\",\"key_sha256\":\"" + ApiKeys.hash(ADMIN) + "\",\"users\":[\"*\"],"
                + "\"grants\":[\"read:*\",\"write:*\",\"delete:*\"]},"
                + "{\"app\":\"cursor\",\"key_sha256\":\"" + ApiKeys.hash(ALICE) + "\",\"users\":[\"" + alice + "\"],"
                + "\"grants\":[\"read:coding\",\"write:coding\"]},"
                + "{\"app\":\"healthapp\",\"key_sha256\":\"" + ApiKeys.hash(HEALTH) + "\",\"users\":[\"*\"],"
                + "\"grants\":[\"read:health\",\"read:fitness\"]}]}");
        server = ServerTestSupport.start(keys);
        bobsSecretId = send(server, "POST", "/memories", "{\"content\":\"bob secret diary\",\"user_id\":\"" + bob
                + "\",\"scope\":\"coding\"}", "X-API-Key", ADMIN).json().get("id").asText();
        alicesCodingId = send(server, "POST", "/memories", "{\"content\":\"alice likes rust\",\"user_id\":\"" + alice
                + "\",\"scope\":\"coding/langs\"}", "Authorization", "Bearer " + ALICE).json().get("id").asText();
        send(server, "POST", "/memories", "{\"content\":\"alice health note\",\"user_id\":\"" + alice
                + "\",\"scope\":\"health\"}", "X-API-Key", ADMIN);
        send(server, "POST", "/memories", "{\"content\":\"alice unscoped note\",\"user_id\":\"" + alice + "\"}",
                "X-API-Key", ADMIN);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void missingOrWrongKeysAre401ExceptOnOpenRoutes() throws Exception {
        Resp none = send(server, "GET", "/memories?user_id=" + alice, null);
        BadInputTest.assertEnvelope(none, 401, null);
        assertEquals("unauthorized", none.json().path("error").path("code").asText());
        BadInputTest.assertEnvelope(send(server, "GET", "/memories?user_id=" + alice, null, "X-API-Key", "nope"), 401,
                null);
        BadInputTest.assertEnvelope(send(server, "GET", "/memories?user_id=" + alice, null, "Authorization",
                "Bearer " + ALICE + "x"), 401, null);
        assertEquals(200, send(server, "GET", "/capabilities", null).status());
        assertEquals(200, send(server, "GET", "/healthz", null).status());
        assertTrue(server.startLine().startsWith("omp-server: serving postgres at http://127.0.0.1:"));
        assertFalse(server.startLine().contains("open access"));
    }

    @Test
    void aKeyForAnotherUserNeverSeesTheirMemories() throws Exception {
        BadInputTest.assertEnvelope(send(server, "GET", "/memories?user_id=" + bob, null, "X-API-Key", ALICE), 403,
                null);
        BadInputTest.assertEnvelope(send(server, "GET", "/memories/search?q=secret&user_id=" + bob, null, "X-API-Key",
                ALICE), 403, null);
        Resp byId = send(server, "GET", "/memories/" + bobsSecretId, null, "X-API-Key", ALICE);
        BadInputTest.assertEnvelope(byId, 404, null);
        BadInputTest.assertEnvelope(send(server, "DELETE", "/memories/" + bobsSecretId, null, "X-API-Key", ALICE), 404,
                null);
        BadInputTest.assertEnvelope(send(server, "POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + bob + "\","
                + "\"scope\":\"coding\"}", "X-API-Key", ALICE), 403, null);
        for (Resp r : new Resp[] {byId, send(server, "GET", "/memories/search?q=secret+diary&user_id=" + alice, null,
                "X-API-Key", ALICE), send(server, "GET", "/memories?user_id=" + alice, null, "X-API-Key", ALICE)}) {
            assertFalse(r.raw().contains("bob secret diary"), r.raw());
        }
        assertEquals("bob secret diary", send(server, "GET", "/memories/" + bobsSecretId, null, "X-API-Key", ADMIN)
                .json().get("content").asText(), "and the memory is intact");
    }

    @Test
    void grantsConfineAndRefuseScopes() throws Exception {
        Resp list = send(server, "GET", "/memories?user_id=" + alice, null, "X-API-Key", ALICE);
        assertEquals(200, list.status());
        assertEquals(1, list.json().get("items").size(), "confined to read:coding: " + list.raw());
        assertEquals(alicesCodingId, list.json().get("items").get(0).get("id").asText());
        Resp health = send(server, "GET", "/memories?scope=health&user_id=" + alice, null, "X-API-Key", ALICE);
        BadInputTest.assertEnvelope(health, 403, null);
        assertEquals("scope_denied", health.json().path("error").path("code").asText());
        assertTrue(health.json().path("error").path("message").asText().contains("app \"cursor\" lacks read:health"),
                health.raw());
        Resp write = send(server, "POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + alice
                + "\",\"scope\":\"health\"}", "X-API-Key", ALICE);
        BadInputTest.assertEnvelope(write, 403, null);
        assertTrue(write.raw().contains("lacks write:health"));
        BadInputTest.assertEnvelope(send(server, "POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + alice
                + "\"}", "X-API-Key", ALICE), 403, null);
        BadInputTest.assertEnvelope(send(server, "DELETE", "/memories/" + alicesCodingId, null, "X-API-Key", ALICE),
                403, null);
        BadInputTest.assertEnvelope(send(server, "PATCH", "/memories/" + alicesCodingId, "{\"scope\":\"health\"}",
                "X-API-Key", ALICE), 403, null);
        Resp search = send(server, "GET", "/memories/search?q=alice+note+rust&user_id=" + alice, null, "X-API-Key",
                ALICE);
        assertEquals(200, search.status());
        search.json().get("results").forEach(r -> assertTrue(r.get("memory").get("scope").asText().startsWith("coding")));
    }

    @Test
    void severalNarrowGrantsFilterResults() throws Exception {
        Resp list = send(server, "GET", "/memories?user_id=" + alice, null, "X-API-Key", HEALTH);
        assertEquals(200, list.status());
        list.json().get("items").forEach(m -> assertEquals("health", m.get("scope").asText()));
        assertEquals(1, list.json().get("items").size());
        Resp ctx = send(server, "POST", "/context", "{\"query\":\"alice note\",\"user_id\":\"" + alice + "\"}",
                "X-API-Key", HEALTH);
        assertEquals(200, ctx.status());
        assertFalse(ctx.raw().contains("unscoped") || ctx.raw().contains("rust"), ctx.raw());
    }

    @Test
    void theAuditAppComesFromTheKey() throws Exception {
        Resp audit = send(server, "GET", "/audit?user_id=" + alice + "&app=cursor", null, "X-API-Key", ADMIN);
        assertEquals(200, audit.status());
        assertTrue(audit.json().get("entries").size() >= 1);
        audit.json().get("entries").forEach(e -> assertEquals("cursor", e.get("app").asText()));
    }
}
