package blog.openmem.tck.http;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The black-box HTTP conformance runner: drives CONTRACT §9-§10 against any OMP server and prints
 * one line per check and a final {@code N passed, M failed} line; the exit status is non-zero when
 * a check failed. A check of a verb the server's provider does not declare in {@code /capabilities}
 * is reported {@code SKIP} (and counted apart), as the TCK skips it.
 *
 * <pre>java -jar omp-tck.jar --base-url http://127.0.0.1:8080 [--api-key KEY] [--cors-origin ORIGIN]</pre>
 */
public final class HttpConformance {
    private static final ObjectMapper JSON = OmpJson.mapper();

    private final String base;
    private final String apiKey;
    private final String corsOrigin;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private int passed;
    private int failed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();
    /** The provider's verbs; every verb until /capabilities says otherwise, so no check is skipped unread. */
    private Set<String> verbs = Set.of("add", "get", "update", "delete", "list", "search", "context", "audit");

    /**
     * The outcome of a run.
     *
     * @param passed   checks that passed
     * @param failed   checks that failed
     * @param skipped  checks of verbs the server's provider does not declare (as the TCK skips them)
     * @param failures what failed, and why
     */
    public record Result(int passed, int failed, int skipped, List<String> failures) {
    }

    /**
     * @param baseUrl the server, e.g. {@code http://127.0.0.1:8080}
     * @param apiKey  a key with read, write and delete on everything, or null for an open server
     * @param out     where the lines go
     */
    public HttpConformance(String baseUrl, String apiKey, PrintStream out) {
        this(baseUrl, apiKey, null, out);
    }

    /**
     * @param baseUrl    the server, e.g. {@code http://127.0.0.1:8080}
     * @param apiKey     a key with read, write and delete on everything, or null for an open server
     * @param corsOrigin an origin the server is configured to allow, to check CORS preflights; or
     *                   null to skip those checks
     * @param out        where the lines go
     */
    public HttpConformance(String baseUrl, String apiKey, String corsOrigin, PrintStream out) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.corsOrigin = corsOrigin;
        this.out = out;
    }

    /**
     * @param args {@code --base-url URL [--api-key KEY]}
     */
    public static void main(String[] args) {
        String base = null;
        String key = null;
        String origin = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base-url" -> base = i + 1 < args.length ? args[++i] : null;
                case "--api-key" -> key = i + 1 < args.length ? args[++i] : null;
                case "--cors-origin" -> origin = i + 1 < args.length ? args[++i] : null;
                default -> {
                    System.err.println("omp-tck: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (base == null) {
            System.err.println("usage: java -jar omp-tck.jar --base-url URL [--api-key KEY] [--cors-origin ORIGIN]");
            System.exit(2);
        }
        Result r = new HttpConformance(base, key, origin, System.out).run();
        System.exit(r.failed() == 0 ? 0 : 1);
    }

    /** A response, parsed. */
    record Resp(int status, JsonNode json, String requestId, String raw) {
    }

    interface Check {
        void run() throws Exception;
    }

    private void check(String name, Check c) {
        try {
            c.run();
            passed++;
            out.println("PASS " + name);
        } catch (AssertionError | Exception e) {
            failed++;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            failures.add(name + ": " + why);
            out.println("FAIL " + name + ": " + why);
        }
    }

    /** Runs the check only when the provider declares the verb; else reports it skipped. */
    private void check(String verb, String name, Check c) {
        if (verbs.contains(verb)) {
            check(name, c);
        } else {
            skipped++;
            out.println("SKIP " + name + ": the provider does not declare " + verb);
        }
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private Resp send(String method, String path, Object body, Map<String, String> headers) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        byte[] bytes = body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : body instanceof byte[] raw ? raw : JSON.writeValueAsBytes(body);
        b.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bytes != null) {
            b.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (!r.body().isEmpty()) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
        }
        return new Resp(r.statusCode(), json, r.headers().firstValue("X-Request-Id").orElse(null), r.body());
    }

    private Resp send(String method, String path, Object body) throws IOException, InterruptedException {
        return send(method, path, body, Map.of());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Every non-2xx response must carry the envelope with request_id equal to the header. */
    private static void envelope(Resp r, int status, String code) {
        expect(r.status() == status, "expected HTTP " + status + ", got " + r.status() + ": " + clip(r.raw()));
        expect(r.json() != null && r.json().has("error"), "no error envelope: " + clip(r.raw()));
        JsonNode e = r.json().get("error");
        expect(code == null || code.equals(e.path("code").asText()), "expected code " + code + ", got "
                + e.path("code").asText());
        expect(!e.path("message").asText().isEmpty() && !e.path("type").asText().isEmpty(), "message and type");
        expect(r.requestId() != null && r.requestId().equals(e.path("request_id").asText()),
                "request_id must equal X-Request-Id");
        expect(!r.raw().contains("\tat ") && !r.raw().contains("Exception:"), "no stack trace in errors");
    }

    /**
     * @param before text before the malformed bytes
     * @param after  text after them
     * @return the UTF-8 of both around {@code C0 AF}, an overlong (forbidden) encoding of {@code /}
     */
    public static byte[] overlongSlash(String before, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC0;
        body[head.length + 1] = (byte) 0xAF;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        return body;
    }

    /** @return whether the server's provider declares that it deduplicates keyed adds */
    private boolean deduplicates() throws IOException, InterruptedException {
        return send("GET", "/capabilities", null).json().path("features").path("idempotent_add").asBoolean(false);
    }

    /** An error envelope without its request id, with the quoted id in the message replaced. */
    private static String shape(Resp r, String id) {
        com.fasterxml.jackson.databind.node.ObjectNode e = r.json().get("error").deepCopy();
        e.remove("request_id");
        e.put("message", e.path("message").asText().replace(id, "ID").replaceAll("'[^']*'", "'ID'"));
        return e.toString();
    }

    /** A browser's preflight for a POST with Authorization: never credentials. */
    private HttpResponse<String> preflight(String origin) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/memories")).timeout(Duration.ofSeconds(30))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private JsonNode add(String user, String content, String scope) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", content);
        body.put("user_id", user);
        if (scope != null) {
            body.put("scope", scope);
        }
        Resp r = send("POST", "/memories", body);
        expect(r.status() == 201, "add: expected 201, got " + r.status() + ": " + clip(r.raw()));
        return r.json();
    }

    /**
     * Runs every check.
     *
     * @return the counts
     */
    public Result run() {
        String user = "tck-http-" + UUID.randomUUID();
        Map<String, String> ids = new LinkedHashMap<>();
        check("GET /capabilities answers with omp_version 0.1", () -> {
            Resp r = send("GET", "/capabilities", null);
            expect(r.status() == 200, "status " + r.status());
            expect("0.1".equals(r.json().path("omp_version").asText()), "omp_version");
            expect(r.json().path("verbs").isArray(), "verbs");
            Set<String> declared = new HashSet<>();
            r.json().path("verbs").forEach(v -> declared.add(v.asText()));
            verbs = Set.copyOf(declared);
        });
        check("GET /healthz is ok", () -> {
            Resp r = send("GET", "/healthz", null);
            expect(r.status() == 200 && "ok".equals(r.json().path("status").asText()), "status " + r.status());
        });
        check("every response carries X-Request-Id, echoing a valid one", () -> {
            Resp r = send("GET", "/capabilities", null, Map.of("X-Request-Id", "tck.req-1"));
            expect("tck.req-1".equals(r.requestId()), "echoed id, got " + r.requestId());
            Resp bad = send("GET", "/capabilities", null, Map.of("X-Request-Id", "bad id with spaces"));
            expect(bad.requestId() != null && !bad.requestId().contains(" "), "a fresh id replaces an invalid one");
        });
        check("POST /memories creates (201) with id, created_at and status", () -> {
            JsonNode m = add(user, "The user prefers pnpm over npm", "coding/preferences");
            expect(!m.path("id").asText().isEmpty(), "id");
            expect(m.path("created_at").asText().endsWith("Z"), "created_at in UTC with Z");
            expect(user.equals(m.path("user_id").asText()), "user_id");
            ids.put("pnpm", m.path("id").asText());
            ids.put("codingX", add(user, "Scoped elsewhere codingX", "codingX").path("id").asText());
            ids.put("hike", add(user, "Went hiking in the Alps", null).path("id").asText());
        });
        check("GET /memories/{id} returns the memory; another X-User-Id is 404", () -> {
            Resp r = send("GET", "/memories/" + enc(ids.get("pnpm")), null);
            expect(r.status() == 200 && ids.get("pnpm").equals(r.json().path("id").asText()), "status " + r.status());
            envelope(send("GET", "/memories/" + enc(ids.get("pnpm")), null, Map.of("X-User-Id", "someone-else")), 404,
                    "not_found");
        });
        check("update", "PATCH updates, explicit null clears, content null is 400", () -> {
            Resp r = send("PATCH", "/memories/" + enc(ids.get("hike")), "{\"content\":\"Went hiking in the Swiss Alps\","
                    + "\"tags\":[\"travel\"]}");
            expect(r.status() == 200 && r.json().path("content").asText().contains("Swiss"), "status " + r.status());
            Resp cleared = send("PATCH", "/memories/" + enc(ids.get("hike")), "{\"tags\":null}");
            expect(cleared.status() == 200 && !cleared.json().has("tags"), "tags cleared");
            envelope(send("PATCH", "/memories/" + enc(ids.get("hike")), "{\"content\":null}"), 400, "invalid_request");
        });
        check("list", "GET /memories lists the user's memories newest first", () -> {
            Resp r = send("GET", "/memories?user_id=" + enc(user), null);
            expect(r.status() == 200, "status " + r.status());
            List<String> got = new ArrayList<>();
            r.json().path("items").forEach(m -> got.add(m.path("id").asText()));
            expect(got.size() == 3 && got.get(0).equals(ids.get("hike")), "3 items newest first: " + got);
        });
        check("list", "pagination has no duplicates or gaps; a forged cursor is 400", () -> {
            String u = "tck-http-page-" + UUID.randomUUID();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                expected.add(add(u, "page item " + i, null).path("id").asText());
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < 5; page++) {
                Resp r = send("GET", "/memories?limit=2&user_id=" + enc(u) + (cursor == null ? "" : "&cursor=" + enc(cursor)),
                        null);
                expect(r.status() == 200, "status " + r.status());
                r.json().path("items").forEach(m -> seen.add(m.path("id").asText()));
                JsonNode next = r.json().get("next_cursor");
                if (next == null || next.isNull()) {
                    break;
                }
                cursor = next.asText();
            }
            expect(seen.size() == 5 && new HashSet<>(seen).equals(expected), "all 5 exactly once: " + seen);
            envelope(send("GET", "/memories?user_id=" + enc(u) + "&cursor=forged-cursor", null), 400, "invalid_request");
        });
        check("list", "scope filter: 'coding' matches coding/preferences, not codingX", () -> {
            Resp r = send("GET", "/memories?scope=coding&user_id=" + enc(user), null);
            List<String> got = new ArrayList<>();
            r.json().path("items").forEach(m -> got.add(m.path("id").asText()));
            expect(got.equals(List.of(ids.get("pnpm"))), "got " + got);
            Resp all = send("GET", "/memories?scope=*&user_id=" + enc(user), null);
            expect(all.json().path("items").size() == 2, "* is every scoped memory");
            envelope(send("GET", "/memories?scope=co*ding&user_id=" + enc(user), null), 400, "invalid_request");
        });
        check("GET and POST /memories/search rank the match first with scores in [0,1]", () -> {
            Resp r = send("GET", "/memories/search?q=" + enc("pnpm package manager") + "&user_id=" + enc(user), null);
            expect(r.status() == 200, "status " + r.status());
            JsonNode results = r.json().path("results");
            expect(results.size() >= 1 && ids.get("pnpm").equals(results.get(0).path("memory").path("id").asText()),
                    "top result");
            double prev = 2;
            for (JsonNode x : results) {
                double s = x.path("score").asDouble();
                expect(s >= 0 && s <= 1 && s <= prev + 1e-9, "scores in [0,1], non-increasing");
                prev = s;
            }
            Resp p = send("POST", "/memories/search", Map.of("query", "pnpm package manager", "user_id", user));
            expect(p.status() == 200 && p.json().path("results").size() == results.size(), "POST form agrees");
            Resp other = send("GET", "/memories/search?q=pnpm&user_id=" + enc("tck-nobody-" + UUID.randomUUID()), null);
            expect(other.json().path("results").isEmpty(), "another user finds nothing");
        });
        check("POST /context stays within the budget and cites what it shows", () -> {
            for (int budget : new int[] {3, 12, 500}) {
                Resp r = send("POST", "/context", Map.of("query", "pnpm hiking", "user_id", user, "token_budget", budget));
                expect(r.status() == 200, "status " + r.status());
                expect(r.json().path("token_count").asInt() <= budget, "over budget " + budget);
                for (JsonNode c : r.json().path("citations")) {
                    expect(r.json().path("text").asText().contains(c.path("memory_id").asText()), "citation in text");
                }
            }
        });
        check("GET /audit lists operations newest first", () -> {
            Resp r = send("GET", "/audit?user_id=" + enc(user), null);
            if (r.status() == 400 && r.json() != null && "unsupported_capability".equals(
                    r.json().path("error").path("code").asText())) {
                return;
            }
            expect(r.status() == 200, "status " + r.status());
            Set<String> actions = new HashSet<>();
            r.json().path("entries").forEach(e -> actions.add(e.path("action").asText()));
            expect(actions.contains("add") && actions.contains("search"), "actions " + actions);
        });
        check("DELETE is 204, then GET and DELETE are 404", () -> {
            Resp d = send("DELETE", "/memories/" + enc(ids.get("codingX")), null);
            expect(d.status() == 204, "status " + d.status());
            envelope(send("GET", "/memories/" + enc(ids.get("codingX")), null), 404, "not_found");
            envelope(send("DELETE", "/memories/" + enc(ids.get("codingX")), null), 404, "not_found");
        });
        check("Idempotency-Key: a repeat returns the first memory (200) and creates nothing", () -> {
            String u = "tck-http-idem-" + UUID.randomUUID();
            String key = "k-" + UUID.randomUUID();
            Map<String, Object> body = Map.of("content", "paid invoice 42", "user_id", u);
            if (!deduplicates()) {
                envelope(send("POST", "/memories", body, Map.of("Idempotency-Key", key)), 400, null);
                expect(send("GET", "/memories?user_id=" + enc(u), null).json().path("items").isEmpty(),
                        "a key the provider cannot honour is refused, and nothing is stored");
                return;
            }
            Resp first = send("POST", "/memories", body, Map.of("Idempotency-Key", key));
            Resp again = send("POST", "/memories", body, Map.of("Idempotency-Key", key));
            expect(first.status() == 201 && again.status() == 200, "201 then 200, got " + first.status() + " then "
                    + again.status());
            expect(first.json().path("id").asText().equals(again.json().path("id").asText()), "same memory");
            expect(send("GET", "/memories?user_id=" + enc(u), null).json().path("items").size() == 1, "one memory");
        });
        check("malformed JSON is 400", () -> envelope(send("POST", "/memories", "{\"content\": \"x\""), 400,
                "invalid_request"));
        check("wrong JSON types are 400 naming the field", () -> {
            Resp r = send("POST", "/memories", "{\"content\": 5, \"user_id\": \"u\"}");
            envelope(r, 400, "invalid_request");
            expect(r.json().path("error").path("message").asText().startsWith("content"), "names content");
        });
        check("missing and blank required fields are 400", () -> {
            envelope(send("POST", "/memories", "{\"content\": \"x\"}"), 400, "invalid_request");
            envelope(send("GET", "/memories/search?q=%20&user_id=" + enc(user), null), 400, "invalid_request");
            envelope(send("GET", "/memories?user_id=", null), 400, "invalid_request");
        });
        check("numbers out of range and bad timestamps are 400", () -> {
            if (verbs.contains("list")) {
                envelope(send("GET", "/memories?limit=0&user_id=" + enc(user), null), 400, "invalid_request");
                envelope(send("GET", "/memories?limit=99999999999&user_id=" + enc(user), null), 400, "invalid_request");
                envelope(send("GET", "/memories?since=yesterday&user_id=" + enc(user), null), 400, "invalid_request");
            }
            envelope(send("GET", "/memories/search?q=x&limit=0&user_id=" + enc(user), null), 400, "invalid_request");
            envelope(send("POST", "/context", Map.of("query", "x", "user_id", user, "token_budget", 0)), 400,
                    "invalid_request");
            envelope(send("POST", "/memories", "{\"content\":\"x\",\"user_id\":\"u\",\"confidence\":7}"), 400,
                    "invalid_request");
        });
        check("an unknown source.type is 400", () -> envelope(send("POST", "/memories",
                "{\"content\":\"x\",\"user_id\":\"u\",\"source\":{\"type\":\"rumour\"}}"), 400, "invalid_request"));
        check("an oversize body (declared 2 MiB, over the default limit) is 413 before it is read", () -> {
            URI u = URI.create(base);
            expect("http".equals(u.getScheme()), "this check speaks plain HTTP");
            String head = "POST /memories HTTP/1.1\r\nHost: " + u.getHost() + "\r\nContent-Type: application/json\r\n"
                    + (apiKey != null ? "Authorization: Bearer " + apiKey + "\r\n" : "")
                    + "Content-Length: " + (2 * 1024 * 1024 + 1) + "\r\nConnection: close\r\n\r\n{\"content\":\"";
            String response;
            try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort() < 0 ? 80 : u.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            expect(response.startsWith("HTTP/1.1 413"), "expected 413, got " + clip(response));
            int at = response.indexOf("\r\n\r\n");
            JsonNode json = at < 0 ? null : JSON.readTree(response.substring(at + 4));
            expect(json != null && "payload_too_large".equals(json.path("error").path("code").asText()),
                    "envelope with payload_too_large: " + clip(response));
        });
        check("404 for another user's memory cannot be told from 404 for a missing id (D-2)", () -> {
            String owner = "tck-http-owner-" + UUID.randomUUID();
            String id = add(owner, "owned by someone else", null).path("id").asText();
            String missing = "tck-missing-" + UUID.randomUUID();
            List<String> methods = verbs.contains("update") ? List.of("GET", "PATCH", "DELETE") : List.of("GET", "DELETE");
            for (String method : methods) {
                String body = method.equals("PATCH") ? "{}" : null;
                Resp other = send(method, "/memories/" + enc(id), body, Map.of("X-User-Id", "tck-intruder"));
                Resp none = send(method, "/memories/" + enc(missing), body, Map.of("X-User-Id", "tck-intruder"));
                envelope(other, 404, "not_found");
                envelope(none, 404, "not_found");
                expect(shape(other, id).equals(shape(none, missing)), method + ": " + shape(other, id) + " vs "
                        + shape(none, missing));
            }
            expect(send("GET", "/memories/" + enc(id), null).status() == 200, "the memory is still there");
        });
        check("NUL characters in body fields and query parameters are 400, never stored", () -> {
            String u = "tck-http-nul-" + UUID.randomUUID();
            envelope(send("POST", "/memories", "{\"content\":\"x\",\"user_id\":\"a\\u0000b\"}"), 400,
                    "invalid_request");
            envelope(send("POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + u
                    + "\",\"tags\":[\"t\\u0000\"]}"), 400, "invalid_request");
            envelope(send("POST", "/memories", "{\"content\":\"x\",\"user_id\":\"" + u
                    + "\",\"x-k\":\"v\\u0000\"}"), 400, "invalid_request");
            envelope(send("GET", "/memories/search?q=a%00b&user_id=" + enc(u), null), 400, "invalid_request");
            envelope(send("GET", "/memories?tag=a%00&user_id=" + enc(u), null), 400, "invalid_request");
            expect(send("GET", "/memories?user_id=" + enc(u), null).json().path("items").isEmpty(), "nothing stored");
        });
        check("malformed text (unpaired surrogates, overlong UTF-8) is 400", () -> {
            String u = "tck-http-utf-" + UUID.randomUUID();
            envelope(send("POST", "/memories", "{\"content\":\"lone \\ud800\",\"user_id\":\"" + u + "\"}"), 400,
                    "invalid_request");
            envelope(send("POST", "/memories", overlongSlash("{\"content\":\"a", "b\",\"user_id\":\"" + u + "\"}")),
                    400, "invalid_request");
            expect(send("GET", "/memories?user_id=" + enc(u), null).json().path("items").isEmpty(), "nothing stored");
        });
        check("a deeply nested x- value is refused, or else every read still serves it", () -> {
            String u = "tck-http-deep-" + UUID.randomUUID();
            String deep = "[".repeat(990) + "1" + "]".repeat(990);
            Resp r = send("POST", "/memories", "{\"content\":\"deep value\",\"user_id\":\"" + u + "\",\"x-deep\":"
                    + deep + "}");
            if (r.status() == 400) {
                envelope(r, 400, "invalid_request");
                return;
            }
            expect(r.status() == 201, "201 or 400, got " + r.status() + ": " + clip(r.raw()));
            expect(send("GET", "/memories?user_id=" + enc(u), null).status() == 200, "list still answers");
            expect(send("GET", "/memories/search?q=deep&user_id=" + enc(u), null).status() == 200,
                    "search still answers");
        });
        check("racing repeats of one Idempotency-Key: one memory, one 201, the others 200", () -> {
            if (!deduplicates()) {
                return; // refused, as the check above shows
            }
            String u = "tck-http-race-" + UUID.randomUUID();
            String key = "race-" + UUID.randomUUID();
            Map<String, Object> body = Map.of("content", "exactly once", "user_id", u);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Resp>> calls = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return send("POST", "/memories", body, Map.of("Idempotency-Key", key));
                    }));
                }
                go.countDown();
                int created = 0;
                Set<String> memoryIds = new HashSet<>();
                for (java.util.concurrent.Future<Resp> f : calls) {
                    Resp r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    expect(r.status() == 201 || r.status() == 200, "status " + r.status() + ": " + clip(r.raw()));
                    created += r.status() == 201 ? 1 : 0;
                    memoryIds.add(r.json().path("id").asText());
                }
                expect(created == 1, created + " callers were told 201 Created");
                expect(memoryIds.size() == 1, "ids " + memoryIds);
                expect(send("GET", "/memories?user_id=" + enc(u), null).json().path("items").size() == 1, "one memory");
            } finally {
                pool.shutdownNow();
            }
        });
        if (corsOrigin != null) {
            check("CORS preflight from the configured origin succeeds without credentials; others get no allow headers",
                    () -> {
                        HttpResponse<String> ok = preflight(corsOrigin);
                        expect(ok.statusCode() >= 200 && ok.statusCode() < 300, "preflight status " + ok.statusCode());
                        expect(ok.headers().firstValue("Access-Control-Allow-Origin").filter(
                                v -> v.equals(corsOrigin) || v.equals("*")).isPresent(), "allow origin: " + ok.headers());
                        expect(ok.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()
                                .contains("authorization"), "allow headers: " + ok.headers());
                        HttpResponse<String> refused = preflight("https://not-allowed.invalid");
                        expect(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                                "no allow origin for a refused origin: " + refused.headers());
                    });
        }
        check("unknown routes are 404 and wrong methods 405, with envelopes", () -> {
            envelope(send("GET", "/no/such/route", null), 404, "not_found");
            Resp r = send("DELETE", "/capabilities", null);
            expect(r.status() == 405 || r.status() == 404, "405 or 404, got " + r.status());
            envelope(r, r.status(), null);
        });
        out.println(passed + " passed, " + failed + " failed" + (skipped == 0 ? "" : ", " + skipped + " skipped"));
        return new Result(passed, failed, skipped, List.copyOf(failures));
    }
}
