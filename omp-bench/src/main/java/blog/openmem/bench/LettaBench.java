package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.sim.LettaSim;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * adapter-letta (through the {@link Memory} facade) against hand-written {@code java.net.http} calls
 * of the same Letta routes, on the in-process simulator (OpenAPI checks off), one caller,
 * interleaved call by call: a get is one passage search over the id's microsecond and tag, a search
 * one passage search in the user's archive, an add one passage write (the archive known).
 *
 * <p>Usage: {@code LettaBench [iterations [forks]]} (3000 and 5, as {@link VendorBench#run} reads them);
 * {@code -Dbench.simCpus=1} runs the simulator in a process of its own on that CPU ({@link BenchSim}).
 */
public final class LettaBench {
    private static final ObjectMapper JSON = RawJson.JSON;

    private LettaBench() {
    }

    /**
     * @param args iterations per side and operation, forks
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        VendorBench.run("letta", LettaSim.API_KEY, args, (base, adapter, raw, aa, seeded) ->
                new Sides(new RawJson(base, "Bearer " + LettaSim.API_KEY), adapter, raw, aa, seeded.user(),
                        seeded.ids(), seeded.queries()));
    }

    /** Both clients and what they work on. */
    private record Sides(RawJson http, Memory adapter, HttpClient raw, HttpClient[] aa, String user, List<String> ids,
                         String[] queries) implements VendorBench.Workload {
        @Override
        public Pairs.Table run(int n, Pairs.Table t) throws Exception {
            String archive = archive(user);
            String writer = user + "-w";
            adapter.add(writer, "the writer's archive exists"); // as on the raw side: the archive is known
            String writerArchive = archive(writer);
            for (int i = 0; i < n; i++) {
                boolean first = (i & 1) == 0;
                String id = ids.get(i % ids.size());
                String q = queries[i % queries.length];
                t.pair("get (passage search: id tag, its microsecond)", first, () -> adapter.get(id, user),
                        () -> rawGet(raw, archive, id));
                // A/A: two raw clients, each used once a round like the adapter, right after the get pair
                // (VendorBench.Stage says why there).
                t.pair("A/A: raw get against raw get, own clients", first, () -> rawGet(aa[0], archive, id),
                        () -> rawGet(aa[1], archive, id));
                t.pair("search (passage search in the archive)", first, () -> adapter.search(
                        SearchQuery.builder(user, q).limit(10).build()), () -> rawSearch(archive, q));
                String content = "bench add " + i + " " + q;
                t.pair("add (one passage)", first, () -> adapter.add(MemoryInput.of(writer, content)),
                        () -> rawAdd(writerArchive, writer, content));
            }
            return t;
        }

        String archive(String u) throws Exception {
            String name = URLEncoder.encode("omp-user:" + u, StandardCharsets.UTF_8);
            return RawJson.send(raw, http.request("/v1/archives/?order=asc&limit=50&name=" + name).GET().build())
                    .get(0).path("id").asText();
        }

        JsonNode rawGet(HttpClient client, String archive, String id) throws Exception {
            long micros = Long.parseLong(id.substring(4, 20));
            String at = Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L).toString();
            ObjectNode body = JSON.createObjectNode().put("limit", 100).put("archive_id", archive)
                    .put("tag_match_mode", "any").put("start_date", at).put("end_date", at);
            body.putArray("tags").add("omp-id:" + id);
            JsonNode r = RawJson.send(client, http.post("/v1/passages/search", body));
            return r.isEmpty() ? null : r;
        }

        JsonNode rawSearch(String archive, String q) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("limit", 100).put("archive_id", archive).put("query", q);
            return RawJson.send(raw, http.post("/v1/passages/search", body));
        }

        JsonNode rawAdd(String archive, String u, String content) throws Exception {
            // The same metadata and tag as the adapter writes for a plain memory.
            String id = "mem_" + System.nanoTime() + "_000000000000";
            String at = Instant.now().toString();
            ObjectNode body = JSON.createObjectNode().put("text", content);
            body.putObject("metadata").put("omp_v", 1).put("omp_id", id).put("omp_user", u).put("omp_created_at", at)
                    .put("omp_part", 0).put("omp_parts", 1);
            body.putArray("tags").add("omp-id:" + id);
            body.put("created_at", at);
            return RawJson.send(raw, http.post("/v1/archives/" + archive + "/passages", body));
        }
    }
}
