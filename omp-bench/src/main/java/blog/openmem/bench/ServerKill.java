package blog.openmem.bench;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code kill -9} of omp-server during writes, then a restart: every acknowledged write must be
 * there, and retrying every write with its Idempotency-Key must not create duplicates.
 */
public final class ServerKill {
    public static void main(String[] args) throws Exception {
        String jar = args.length > 0 ? args[0] : "omp-server/target/omp-server.jar";
        String pg = "postgres://postgres@127.0.0.1:5432/omp_load";
        String base = "http://127.0.0.1:18091";
        String user = "kill-" + Long.toString(System.currentTimeMillis(), 36);
        Process server = start(jar, pg);
        Map<String, String> acked = new ConcurrentHashMap<>();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 100_000; i++) {
                    String key = "w" + writer + "-" + i;
                    attempted.add(key);
                    try {
                        HttpResponse<String> r = ServerLoad.post(base, user, "write " + key, key);
                        if (r.statusCode() == 201 || r.statusCode() == 200) {
                            acked.put(key, OmpJson.read(r.body(), JsonNode.class).get("id").asText());
                        }
                    } catch (Exception connectionLost) {
                        return null;
                    }
                }
                return null;
            }));
        }
        Thread.sleep(4000);
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        PostgresBench.log("killed -9 after " + acked.size() + " acknowledged writes (" + attempted.size()
                + " attempted)");
        server = start(jar, pg);
        int changed = 0;
        int created = 0;
        for (String key : attempted) {
            HttpResponse<String> r = ServerLoad.post(base, user, "write " + key, key);
            String id = OmpJson.read(r.body(), JsonNode.class).get("id").asText();
            if (acked.containsKey(key) && (r.statusCode() != 200 || !acked.get(key).equals(id))) {
                changed++;
            }
            if (r.statusCode() == 201) {
                created++;
            }
        }
        int listed = 0;
        String cursor = null;
        do {
            HttpResponse<String> r = ServerLoad.get(base, "/memories?limit=500&user_id=" + ServerLoad.enc(user)
                    + (cursor == null ? "" : "&cursor=" + ServerLoad.enc(cursor)));
            JsonNode page = OmpJson.read(r.body(), JsonNode.class);
            listed += page.get("items").size();
            JsonNode next = page.get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        server.destroy();
        server.waitFor(20, TimeUnit.SECONDS);
        System.out.println();
        System.out.println("| kill -9 during writes, restart, retry every write with its key | result |");
        System.out.println("|---|---|");
        System.out.printf("| acknowledged before the kill | %d (of %d attempted) |%n", acked.size(), attempted.size());
        System.out.printf("| acknowledged writes missing or answered differently after restart | %d |%n", changed);
        System.out.printf("| unacknowledged writes created by the retry | %d |%n", created);
        System.out.printf("| memories stored for the user / distinct keys | %d / %d (duplicates: %d) |%n", listed,
                attempted.size(), listed - attempted.size());
        System.exit(0); // the JDK HttpClient's selector thread can outlive main
    }

    static Process start(String jar, String pg) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
                "--url", pg, "--port", "18091", "--embedder", "hash", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        Path.of("omp-bench", "target", "server-kill.log").toFile())).start();
        for (int i = 0; i < 100; i++) {
            try {
                if (ServerLoad.get("http://127.0.0.1:18091", "/healthz").statusCode() == 200) {
                    return p;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not start; see omp-bench/target/server-kill.log");
    }
}
