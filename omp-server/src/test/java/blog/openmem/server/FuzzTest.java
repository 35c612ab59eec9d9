package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import blog.openmem.spi.json.OmpJson;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random bodies and parameters at every route: whatever arrives, the answer is a 2xx or a
 * 4xx with the envelope, never a 5xx (the seed is printed, so a failure can be replayed).
 */
class FuzzTest {
    static final String[] FIELDS = {"content", "user_id", "scope", "tags", "source", "confidence", "valid_from",
        "valid_to", "supersedes", "query", "token_budget", "limit", "min_score", "as_of", "include_superseded", "type",
        "x-ext", "id"};
    static final Set<Integer> ALLOWED = Set.of(200, 201, 204, 400, 404, 405, 413);

    static String value(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 9 : 13)) {
            case 0 -> "null";
            case 1 -> String.valueOf(r.nextBoolean());
            case 2 -> String.valueOf(r.nextInt());
            case 3 -> r.nextBoolean() ? "1e308" : "-0.0";
            case 4 -> "\"" + text(r) + "\"";
            case 5 -> "\"2026-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(9) + "T00:00:00Z\"";
            case 6 -> "\"fuzz-user\"";
            case 7 -> "\"" + List.of("+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z", "0000-01-01T00:00:00Z",
                    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "+294277-01-01T00:00:00Z").get(r.nextInt(6)) + "\"";
            case 8 -> deep(r);
            case 9 -> hugeArray(r);
            case 10 -> "[" + value(r, depth + 1) + "," + value(r, depth + 1) + "]";
            default -> object(r, depth + 1);
        };
    }

    /** Nesting from a few levels to past the parser's limit of 1 000. */
    static String deep(Random r) {
        int n = List.of(3, 31, 32, 33, 200, 998, 1100).get(r.nextInt(7));
        boolean objects = r.nextBoolean();
        return (objects ? "{\"a\":" : "[").repeat(n) + "1" + (objects ? "}" : "]").repeat(n);
    }

    static String hugeArray(Random r) {
        int n = List.of(99, 100, 101, 1000, 5000).get(r.nextInt(5));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"e").append(i).append('"');
        }
        return sb.append(']').toString();
    }

    static String object(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(FIELDS[r.nextInt(FIELDS.length)]).append("\":")
                    .append(value(r, depth));
        }
        return sb.append('}').toString();
    }

    static String text(Random r) {
        String[] bits = {"a", "é", "東", "🎉", "\\n", "\\\"", "%", "_", "'", "/", "*", " ", "coding", "x-", "\\u0000",
            "\\ud800", "\\udc00", "\\ud83c\\udf89"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.nextInt(8); i++) {
            sb.append(bits[r.nextInt(bits.length)]);
        }
        return sb.toString();
    }

    static String mangle(Random r, String json) {
        return switch (r.nextInt(6)) {
            case 0 -> json.substring(0, r.nextInt(json.length() + 1));
            case 1 -> json + "}";
            case 2 -> json.replace(':', r.nextBoolean() ? ',' : ';');
            default -> json;
        };
    }

    @Test
    void randomInputsNeverCauseAServerError() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random r = new Random(seed);
        try (OmpServer server = ServerTestSupport.start(null)) {
            Resp created = ServerTestSupport.send(server, "POST", "/memories",
                    "{\"content\":\"fuzz target\",\"user_id\":\"fuzz-user\"}");
            String id = created.json().get("id").asText();
            Set<String> users = new java.util.TreeSet<>(Set.of("fuzz-user"));
            List<String[]> routes = List.of(new String[] {"POST", "/memories"}, new String[] {"PATCH", "/memories/" + id},
                    new String[] {"POST", "/memories/search"}, new String[] {"POST", "/context"});
            String[] params = {"user_id", "q", "scope", "tag", "since", "until", "limit", "cursor", "min_score", "as_of",
                "include_superseded", "app"};
            for (int i = 0; i < 600; i++) {
                Resp resp;
                String what;
                if (r.nextInt(3) == 0) {
                    StringBuilder q = new StringBuilder();
                    for (int p = 0; p < r.nextInt(5); p++) {
                        q.append(p == 0 ? "?" : "&").append(params[r.nextInt(params.length)]).append('=')
                                .append(java.net.URLEncoder.encode(r.nextBoolean() ? text(r) : String.valueOf(
                                        r.nextInt(2000) - 500), java.nio.charset.StandardCharsets.UTF_8));
                    }
                    String path = List.of("/memories", "/memories/search", "/audit", "/memories/" + id).get(r.nextInt(4));
                    what = "GET " + path + q;
                    resp = ServerTestSupport.send(server, "GET", path + q, null);
                } else {
                    String[] route = routes.get(r.nextInt(routes.size()));
                    String body = mangle(r, object(r, 0));
                    what = route[0] + " " + route[1] + " " + body;
                    resp = ServerTestSupport.send(server, route[0], route[1], body);
                }
                String context = "seed " + seed + ", request " + i + ": " + clip(what) + " -> " + clip(resp.raw());
                assertTrue(ALLOWED.contains(resp.status()), context);
                if (resp.status() >= 400) {
                    assertNotNull(resp.json(), context);
                    assertEquals(resp.requestId(), resp.json().path("error").path("request_id").asText(), context);
                    assertTrue(!resp.json().path("error").path("message").asText().isEmpty(), context);
                }
                if (resp.status() == 201 && resp.json() != null) {
                    users.add(resp.json().path("user_id").asText());
                }
            }
            // Whatever was accepted can be served back: every user's memories list page by page and
            // search answers.
            for (String user : users) {
                String cursor = null;
                int pages = 0;
                do {
                    Resp page = ServerTestSupport.send(server, "GET", "/memories?limit=50&user_id=" + enc(user)
                            + (cursor == null ? "" : "&cursor=" + enc(cursor)), null);
                    assertEquals(200, page.status(), "seed " + seed + ", list of " + user + ": " + clip(page.raw()));
                    cursor = page.json().path("next_cursor").isTextual() ? page.json().get("next_cursor").asText() : null;
                    assertTrue(++pages < 100, "paging ends");
                } while (cursor != null);
                Resp search = ServerTestSupport.send(server, "POST", "/memories/search", "{\"query\":\"fuzz a\","
                        + "\"user_id\":" + OmpJson.write(user) + ",\"include_superseded\":true}");
                assertEquals(200, search.status(), "seed " + seed + ", search of " + user + ": " + clip(search.raw()));
            }
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
