package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.util.List;

/**
 * adapter-mem0 (through the {@link Memory} facade) against hand-written {@code java.net.http} calls
 * of the same Mem0 routes, on the in-process platform simulator (its OpenAPI checks off: they cost
 * the simulator more than the answer and would hide the client's own time), one caller, interleaved
 * call by call. Where the adapter makes two calls (an add reads the stored memory back; a search
 * that hides superseded memories first lists the memories that supersede others), the raw side
 * makes the same two.
 *
 * <p>Usage: {@code Mem0Bench [iterations [forks]]} (3000 and 5, as {@link VendorBench#run} reads them);
 * {@code -Dbench.simCpus=1} runs the simulator in a process of its own on that CPU ({@link BenchSim}).
 */
public final class Mem0Bench {
    private static final ObjectMapper JSON = RawJson.JSON;

    private Mem0Bench() {
    }

    /**
     * @param args iterations per side and operation, forks
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        VendorBench.run("mem0", Mem0PlatformSim.API_KEY, args, (base, adapter, raw, aa, seeded) ->
                new Sides(new RawJson(base, "Token " + Mem0PlatformSim.API_KEY), adapter, raw, aa, seeded.user(),
                        seeded.ids(), seeded.queries()));
    }

    /** Both clients and what they work on. */
    private record Sides(RawJson http, Memory adapter, HttpClient raw, HttpClient[] aa, String user, List<String> ids,
                         String[] queries)
            implements VendorBench.Workload {
        @Override
        public Pairs.Table run(int n, Pairs.Table t) throws Exception {
            for (int i = 0; i < n; i++) {
                boolean first = (i & 1) == 0;
                String id = ids.get(i % ids.size());
                String q = queries[i % queries.length];
                t.pair("get (GET /v1/memories/{id}/)", first, () -> adapter.get(id, user), () -> rawGet(id));
                // A/A: two raw clients, each used once a round like the adapter, right after the get pair
                // (VendorBench.Stage says why there).
                t.pair("A/A: raw get against raw get, own clients", first, () -> rawGet(aa[0], id),
                        () -> rawGet(aa[1], id));
                t.pair("search, include_superseded (1 call)", first, () -> adapter.search(SearchQuery.builder(user, q)
                        .limit(10).includeSuperseded(true).build()), () -> rawSearch(q));
                t.pair("search, default (list superseding + search)", first, () -> adapter.search(
                        SearchQuery.builder(user, q).limit(10).build()), () -> {
                            rawSupersedingList();
                            return rawSearch(q);
                        });
                t.pair("list, 20 (POST /v3/memories/)", first, () -> adapter.list(ListQuery.builder(user).limit(20)
                        .build()), this::rawList);
                String content = "bench add " + i + " " + q;
                t.pair("add (POST add + GET read back)", first, () -> adapter.add(MemoryInput.of(user + "-w", content)),
                        () -> rawGet(rawAdd(user + "-w", content)));
            }
            return t;
        }

        JsonNode rawGet(String id) throws Exception {
            return rawGet(raw, id);
        }

        JsonNode rawGet(HttpClient client, String id) throws Exception {
            return RawJson.send(client, http.request("/v1/memories/" + id + "/").GET().build());
        }

        JsonNode rawSearch(String q) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("query", q).put("top_k", 30).put("threshold", 0.0);
            body.putObject("filters").putArray("AND").addObject().put("user_id", user);
            return RawJson.send(raw, http.post("/v3/memories/search/", body));
        }

        JsonNode rawSupersedingList() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            var and = body.putObject("filters").putArray("AND");
            and.addObject().put("user_id", user);
            and.addObject().putObject("metadata").put("omp_has_supersedes", true);
            return RawJson.send(raw, http.post("/v3/memories/?page=1&page_size=200", body));
        }

        JsonNode rawList() throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("filters").putArray("AND").addObject().put("user_id", user);
            return RawJson.send(raw, http.post("/v3/memories/?page=1&page_size=21", body));
        }

        String rawAdd(String u, String content) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("messages").addObject().put("role", "user").put("content", content);
            body.put("user_id", u).put("infer", false);
            body.putObject("metadata").put("omp_v", 1).put("omp_user", u);
            return RawJson.send(raw, http.post("/v3/memories/add/", body)).path("results").get(0).path("id").asText();
        }
    }
}
