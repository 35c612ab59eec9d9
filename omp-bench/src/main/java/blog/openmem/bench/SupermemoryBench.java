package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * adapter-supermemory on v5 (through the {@link Memory} facade) against hand-written
 * {@code java.net.http} calls of the same Supermemory routes, on the in-process v5 simulator (its
 * OpenAPI checks off: they cost the simulator more than the answer and would hide the client's own
 * time; documents done at once), one caller, interleaved call by call. Where the adapter makes more
 * than one call, the raw side makes the same ones: an add reads the document back; a search that
 * hides superseded memories then lists the documents superseding any hit; a list reads each listed
 * document's text, concurrently (v5 list items carry none).
 *
 * <p>Usage: {@code SupermemoryBench [iterations [forks]]} (3000 and 5, as {@link VendorBench#run} reads them);
 * {@code -Dbench.simCpus=1} runs the simulator in a process of its own on that CPU ({@link BenchSim}).
 */
public final class SupermemoryBench {
    private static final ObjectMapper JSON = RawJson.JSON;

    private SupermemoryBench() {
    }

    /**
     * @param args iterations per side and operation, forks
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        VendorBench.run("supermemory", SupermemorySim.API_KEY, args, (base, adapter, raw, aa, seeded) ->
                new Sides(new RawJson(base, "Bearer " + SupermemorySim.API_KEY), adapter, raw, aa, seeded.user(),
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
                t.pair("get (GET /ns/{ns}/document/{id})", first, () -> adapter.get(id, user), () -> rawGet(user, id));
                // A/A: two raw clients, each used once a round like the adapter, right after the get pair
                // (VendorBench.Stage says why there).
                t.pair("A/A: raw get against raw get, own clients", first, () -> rawGet(aa[0], user, id),
                        () -> rawGet(aa[1], user, id));
                t.pair("search, include_superseded (1 call)", first, () -> adapter.search(SearchQuery.builder(user, q)
                        .limit(10).includeSuperseded(true).build()), () -> rawSearch(q));
                t.pair("search, default (search + superseding list)", first, () -> adapter.search(
                        SearchQuery.builder(user, q).limit(10).build()), () -> {
                            JsonNode hits = rawSearch(q);
                            rawSuperseding(hits);
                            return hits;
                        });
                t.pair("list, 20 (list + 21 concurrent reads)", first, () -> adapter.list(ListQuery.builder(user)
                        .limit(20).build()), this::rawList);
                String content = "bench add " + i + " " + q;
                t.pair("add (POST document + GET read back)", first, () -> adapter.add(MemoryInput.of(user + "-w",
                        content)), () -> rawAdd(user + "-w", content));
            }
            return t;
        }

        JsonNode rawGet(String ns, String id) throws Exception {
            return rawGet(raw, ns, id);
        }

        JsonNode rawGet(HttpClient client, String ns, String id) throws Exception {
            return RawJson.send(client, http.request("/ns/" + ns + "/document/" + id).GET().build());
        }

        JsonNode rawSearch(String q) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("query", q).put("searchMode", "chunks").put("limit", 30)
                    .put("threshold", 0.0);
            body.putObject("include").put("documents", true);
            return RawJson.send(raw, http.post("/ns/" + user + "/search", body));
        }

        JsonNode rawSuperseding(JsonNode hits) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode or = body.putObject("filter").put("operator", "or");
            ArrayNode operands = or.putArray("operands");
            for (JsonNode h : hits.path("results")) {
                operands.addObject().put("field", "omp_supersedes").put("operator", "arrayContains")
                        .put("value", h.path("included").path("document").path("id").asText());
            }
            return RawJson.send(raw, http.post("/ns/" + user
                    + "/list/documents?page=1&limit=100&sort=createdAt&order=desc", body));
        }

        List<JsonNode> rawList() throws Exception {
            JsonNode page = RawJson.send(raw, http.post("/ns/" + user
                    + "/list/documents?page=1&limit=21&sort=createdAt&order=desc", JSON.createObjectNode()));
            List<CompletableFuture<HttpResponse<byte[]>>> reads = new ArrayList<>();
            for (JsonNode d : page.path("documents")) {
                reads.add(raw.sendAsync(http.request("/ns/" + user + "/document/" + d.path("id").asText()).GET()
                        .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            List<JsonNode> docs = new ArrayList<>();
            for (CompletableFuture<HttpResponse<byte[]>> f : reads) {
                docs.add(RawJson.check(f.join()));
            }
            return docs;
        }

        JsonNode rawAdd(String ns, String content) throws Exception {
            String id = "mem_" + UUID.randomUUID().toString().replace("-", "") + "." + ns;
            ObjectNode body = JSON.createObjectNode().put("content", content).put("id", id);
            body.putObject("metadata").put("omp_v", 1).put("omp_user", ns).put("omp_content_chars", content.length());
            body.put("taskType", "superrag");
            RawJson.send(raw, http.post("/ns/" + ns + "/document", body));
            return rawGet(ns, id);
        }
    }
}
