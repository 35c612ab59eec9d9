package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * adapter-mem0 (through the {@link Memory} facade) against hand-written {@code java.net.http} calls
 * of the same Mem0 routes, on the in-process platform simulator (its OpenAPI checks off: they cost
 * the simulator more than the answer and would hide the client's own time), one caller, interleaved
 * call by call. Where the adapter makes two calls (an add reads the stored memory back; a search
 * that hides superseded memories first lists the memories that supersede others), the raw side
 * makes the same two.
 *
 * <p>Usage: {@code Mem0Bench [iterations]}; {@code -Dbench.simCpus=1} runs the simulator in a process of its
 * own on that CPU ({@link BenchSim}).
 */
public final class Mem0Bench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Mem0Bench() {
    }

    /**
     * @param args iterations per side and operation
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        try (BenchSim sim = BenchSim.start("mem0");
             Memory adapter = Memory.builder().config("mem0").setting("base_url", sim.url())
                     .setting("api_key", Mem0PlatformSim.API_KEY).build()) {
            HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            String user = "bench-m0-" + UUID.randomUUID().toString().substring(0, 8);
            List<String> ids = new ArrayList<>();
            java.util.Random r = new java.util.Random(7);
            for (int i = 0; i < 200; i++) {
                ids.add(adapter.add(MemoryInput.builder(user, Corpus.memory(user, i)).build()).id());
            }
            String[] queries = new String[50];
            for (int i = 0; i < queries.length; i++) {
                queries[i] = Corpus.query(r);
            }
            System.out.printf("seeded 200 memories for one user; %d calls per side per operation, interleaved%n", n);
            Sides warm = new Sides(sim.url(), adapter, raw, user, ids, queries);
            warm.run(1500, false);
            warm.run(n, true);
        }
    }

    /** Both clients and what they work on. */
    private record Sides(String base, Memory adapter, HttpClient raw, String user, List<String> ids, String[] queries) {
        void run(int n, boolean print) throws Exception {
            Stats gA = new Stats();
            Stats gR = new Stats();
            Stats sA = new Stats();
            Stats sR = new Stats();
            Stats dA = new Stats();
            Stats dR = new Stats();
            Stats lA = new Stats();
            Stats lR = new Stats();
            Stats aA = new Stats();
            Stats aR = new Stats();
            for (int i = 0; i < n; i++) {
                boolean adapterFirst = (i & 1) == 0;
                String id = ids.get(i % ids.size());
                String q = queries[i % queries.length];
                Pairs.pair(adapterFirst, () -> adapter.get(id, user), gA, () -> rawGet(id), gR);
                Pairs.pair(adapterFirst, () -> adapter.search(SearchQuery.builder(user, q).limit(10).includeSuperseded(true)
                        .build()), sA, () -> rawSearch(q), sR);
                Pairs.pair(adapterFirst, () -> adapter.search(SearchQuery.builder(user, q).limit(10).build()), dA,
                        () -> {
                            rawSupersedingList();
                            return rawSearch(q);
                        }, dR);
                Pairs.pair(adapterFirst, () -> adapter.list(ListQuery.builder(user).limit(20).build()), lA, this::rawList, lR);
                String content = "bench add " + i + " " + q;
                Pairs.pair(adapterFirst, () -> adapter.add(MemoryInput.of(user + "-w", content)), aA,
                        () -> rawGet(rawAdd(user + "-w", content)), aR);
            }
            if (print) {
                Pairs.report("get (GET /v1/memories/{id}/)", gA, gR);
                Pairs.report("search, include_superseded (1 call)", sA, sR);
                Pairs.report("search, default (list superseding + search)", dA, dR);
                Pairs.report("list, 20 (POST /v3/memories/)", lA, lR);
                Pairs.report("add (POST add + GET read back)", aA, aR);
            }
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Token " + Mem0PlatformSim.API_KEY).header("Accept", "application/json");
        }

        private JsonNode send(HttpRequest req) throws Exception {
            HttpResponse<byte[]> r = raw.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("raw call: HTTP " + r.statusCode());
            }
            return JSON.readTree(r.body());
        }

        private HttpRequest post(String path, ObjectNode body) throws Exception {
            return request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        }

        JsonNode rawGet(String id) throws Exception {
            return send(request("/v1/memories/" + id + "/").GET().build());
        }

        JsonNode rawSearch(String q) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("query", q).put("top_k", 30).put("threshold", 0.0);
            body.putObject("filters").putArray("AND").addObject().put("user_id", user);
            return send(post("/v3/memories/search/", body));
        }

        JsonNode rawSupersedingList() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            var and = body.putObject("filters").putArray("AND");
            and.addObject().put("user_id", user);
            and.addObject().putObject("metadata").put("omp_has_supersedes", true);
            return send(post("/v3/memories/?page=1&page_size=200", body));
        }

        JsonNode rawList() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("filters").putArray("AND").addObject().put("user_id", user);
            return send(post("/v3/memories/?page=1&page_size=21", body));
        }

        String rawAdd(String u, String content) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("messages").addObject().put("role", "user").put("content", content);
            body.put("user_id", u).put("infer", false);
            body.putObject("metadata").put("omp_v", 1).put("omp_user", u);
            return send(post("/v3/memories/add/", body)).path("results").get(0).path("id").asText();
        }
    }
}
