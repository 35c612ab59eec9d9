package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The passthrough adapter (through the {@link Memory} facade, as applications call it) against a
 * hand-written {@code java.net.http} call of the same route, same server, same run, one caller at a
 * time and interleaved call by call so drift hits both sides alike. The raw side parses its JSON
 * too (to a tree), and sends the same headers the adapter does where they change server work
 * ({@code Idempotency-Key} on add).
 *
 * <p>Usage: {@code PassthroughBench <base-url> [iterations]}.
 */
public final class PassthroughBench {
    private static final String[] QUERIES = new String[50];

    static {
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < QUERIES.length; i++) {
            QUERIES[i] = Corpus.query(r);
        }
    }

    /** The raw side's own mapper, made once as a hand-written client would. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private PassthroughBench() {
    }

    /**
     * @param args base URL and iterations per side
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:18092";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        String user = "bench-pt-" + UUID.randomUUID().toString().substring(0, 8);
        try (Memory adapter = Memory.create(base);
             Memory noRetry = Memory.builder().config(base).settings(Map.of("max_attempts", "1")).build()) {
            for (int i = 0; i < 300; i++) {
                adapter.add(MemoryInput.builder(user, Corpus.memory(user, i)).build());
            }
            System.out.printf("seeded 300 memories for one user; %d calls per side per operation, interleaved%n", n);
            // warm-up: JIT, connections, server caches
            run(adapter, noRetry, raw, base, user, 2000, false);
            run(adapter, noRetry, raw, base, user, n, true);
        }
    }

    private static void run(Memory adapter, Memory noRetry, HttpClient raw, String base, String user, int n,
                            boolean print) throws Exception {
        Stats sA = new Stats();
        Stats sR = new Stats();
        Stats aA = new Stats();
        Stats aR = new Stats();
        Stats kA = new Stats();
        Stats kR = new Stats();
        for (int i = 0; i < n; i++) {
            String q = QUERIES[i % QUERIES.length];
            boolean adapterFirst = (i & 1) == 0;
            String content = "bench add " + i + " " + q;
            Pairs.pair(adapterFirst,
                    () -> adapter.search(SearchQuery.builder(user, q).limit(10).build()).size(), sA,
                    () -> rawSearch(raw, base, user, q).get("results").size(), sR);
            Pairs.pair(adapterFirst,
                    () -> adapter.add(MemoryInput.builder(user + "-w", content).build()) == null ? 0 : -1, aA,
                    () -> rawAdd(raw, base, user + "-w", content, UUID.randomUUID().toString()) == null ? 0 : -1, aR);
            Pairs.pair(adapterFirst,
                    () -> noRetry.add(MemoryInput.builder(user + "-n", content).build()) == null ? 0 : -1, kA,
                    () -> rawAdd(raw, base, user + "-n", content, null) == null ? 0 : -1, kR);
        }
        if (print) {
            Pairs.report("search (GET /memories/search, limit 10)", sA, sR);
            Pairs.report("add, retries on (Idempotency-Key sent by both)", aA, aR);
            Pairs.report("add, retries off (no key on either side)", kA, kR);
        }
    }

    private static JsonNode rawSearch(HttpClient http, String base, String user, String q) throws Exception {
        String uri = base + "/memories/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&user_id="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&limit=10";
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("raw search: HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode rawAdd(HttpClient http, String base, String user, String content, String key)
            throws Exception {
        ObjectNode body = JSON.createObjectNode().put("user_id", user).put("content", content);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/memories")).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("raw add: HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
