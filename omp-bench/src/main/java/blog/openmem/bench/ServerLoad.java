package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running omp-server: N clients adding (20%) and searching (80%) for a fixed time,
 * then every acknowledged write is read back; plus the server's overhead over calling the same
 * {@link Memory} in-process. Timed requests go through {@link RawHttp} (one keep-alive connection
 * per client), so the driver takes little of the CPU the server and database share with it.
 * Bounded in count and time; loopback only.
 *
 * <p>Usage: {@code bash omp-bench/run-server-load.sh [--clients 64] [--seconds 60] [--warmup 15]
 * [--rate R] [--period 10]}; with
 * {@code --rate}, the clients together offer R requests per second (80% searches) on a fixed
 * schedule, else each sends its next request when the last is answered.
 */
public final class ServerLoad {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(8)).build();

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:18090";
        String pg = "postgres://postgres@127.0.0.1:5432/omp_load";
        int clients = 64;
        int seconds = 60;
        double rate = 0;
        int warmup = 15;
        int period = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base-url" -> base = args[++i];
                case "--postgres" -> pg = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Math.min(600, Integer.parseInt(args[++i]));
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Math.min(600, Integer.parseInt(args[++i]));
                case "--period" -> period = Math.max(1, Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        int users = 200;
        // Seed: 30 memories per user.
        ExecutorService seedPool = Executors.newFixedThreadPool(16);
        List<Future<?>> seeds = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "load-" + run + "-" + u;
            String b = base;
            seeds.add(seedPool.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    post(b, user, Corpus.memory(user, i), null);
                }
                return null;
            }));
        }
        for (Future<?> f : seeds) {
            f.get();
        }
        seedPool.shutdown();
        PostgresBench.log("seeded " + users * 30 + " memories; " + clients + " clients for " + seconds + " s"
                + " after " + warmup + " s of warm-up" + (rate > 0 ? ", " + rate + " requests/s offered"
                : ", each sending its next request on an answer"));

        Stats search = new Stats();
        Stats add = new Stats();
        // Every request's latency per --period seconds of the measured window, to see when a tail happened.
        Stats[] periods = new Stats[(seconds + period - 1) / period];
        long periodNanos = period * 1_000_000_000L;
        java.util.Arrays.setAll(periods, i -> new Stats());
        AtomicLong fiveXX = new AtomicLong();
        AtomicLong otherErrors = new AtomicLong();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        // The same traffic for --warmup seconds first, not measured (the server's JIT compiler takes
        // a good share of the two cores in its first minute), then --seconds measured.
        long start = System.nanoTime();
        long measured = start + warmup * 1_000_000_000L;
        long end = measured + seconds * 1_000_000_000L;
        // Open loop (--rate): each client sends on a fixed schedule and a request's latency counts
        // from when it was due, so a server that falls behind is charged for the wait (no
        // coordinated omission). Closed loop (default): the next request goes out on an answer.
        long interval = rate > 0 ? (long) (1e9 * clients / rate) : 0;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        PostgresBench.log("measured window starts in " + warmup + " s");
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            String b = base;
            workers.add(pool.submit(() -> {
                Random r = new Random(client);
                int n = 0;
                // Warm-up runs closed loop: a schedule there would queue up behind the JIT compiler and
                // spill its backlog into the measured window.
                long due = measured + (interval > 0 ? r.nextLong(interval) : 0);
                try (RawHttp http = new RawHttp(b)) {
                    while (System.nanoTime() < end) {
                        String user = "load-" + run + "-" + r.nextInt(users);
                        long t = System.nanoTime();
                        if (interval > 0 && t >= measured - interval) {
                            for (long wait = due - t; wait > 0; wait = due - System.nanoTime()) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            t = due;
                            due += interval;
                        }
                        boolean adding = r.nextInt(5) == 0;
                        RawHttp.Response resp = adding
                                ? http.post("/memories", body(user, "client " + client + " write " + n++ + " "
                                        + Corpus.query(r)), null)
                                : http.get("/memories/search?q=" + enc(Corpus.query(r)) + "&user_id=" + enc(user));
                        if (t >= measured) {
                            Stats stats = adding ? add : search;
                            long took = System.nanoTime() - t;
                            synchronized (stats) {
                                stats.add(took);
                            }
                            Stats slot = periods[(int) Math.min(periods.length - 1, (t - measured) / periodNanos)];
                            synchronized (slot) {
                                slot.add(took);
                            }
                        }
                        if (adding && resp.status() == 201) {
                            acknowledged.add(OmpJson.read(resp.body(), JsonNode.class).get("id").asText());
                        }
                        if (resp.status() >= 500) {
                            if (fiveXX.incrementAndGet() <= 3) {
                                PostgresBench.log("5xx: " + resp.status() + " " + resp.body());
                            }
                        } else if (resp.status() >= 400) {
                            otherErrors.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        double secs = seconds;
        // Every acknowledged write must be readable.
        AtomicLong missing = new AtomicLong();
        ExecutorService check = Executors.newFixedThreadPool(16);
        List<Future<?>> checks = new ArrayList<>();
        String b0 = base;
        for (String id : acknowledged) {
            checks.add(check.submit(() -> {
                if (get(b0, "/memories/" + enc(id)).statusCode() != 200) {
                    missing.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : checks) {
            f.get();
        }
        check.shutdown();

        // Overhead: the same search in-process and over HTTP, one client, interleaved.
        Stats inProcess = new Stats();
        Stats overHttp = new Stats();
        try (Memory memory = Memory.builder().config(pg).embedder("hash").build(); RawHttp http = new RawHttp(base)) {
            Random r = new Random(99);
            for (int i = 0; i < 1200; i++) {
                String user = "load-" + run + "-" + r.nextInt(users);
                String q = Corpus.query(r);
                long t0 = System.nanoTime();
                memory.search(user, q);
                long t1 = System.nanoTime();
                http.get("/memories/search?q=" + enc(q) + "&user_id=" + enc(user));
                long t2 = System.nanoTime();
                if (i >= 200) {
                    inProcess.add(t1 - t0);
                    overHttp.add(t2 - t1);
                }
            }
        }
        System.out.println();
        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| search, %d clients | %.0f requests/s, %s |%n", clients, search.count() / secs,
                search.summary());
        System.out.printf(Locale.ROOT, "| add, %d clients | %.0f requests/s, %s |%n", clients, add.count() / secs,
                add.summary());
        StringBuilder timeline = new StringBuilder();
        for (Stats p : periods) {
            timeline.append(timeline.length() == 0 ? "" : ", ")
                    .append(p.count() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", p.p99()));
        }
        System.out.printf(Locale.ROOT, "| p99 of each %d s, all requests (ms) | %s |%n", period, timeline);
        System.out.printf(Locale.ROOT, "| 5xx responses | %d (other 4xx: %d) |%n", fiveXX.get(), otherErrors.get());
        System.out.printf(Locale.ROOT, "| acknowledged writes (201) not readable afterwards | %d of %d |%n",
                missing.get(), acknowledged.size());
        System.out.printf(Locale.ROOT, "| search in-process (Memory) vs over HTTP, one client | %s vs %s: %+.2f ms at p50 |%n",
                inProcess.summary(), overHttp.summary(), overHttp.p50() - inProcess.p50());
        HTTP.executor().ifPresent(e -> ((ExecutorService) e).shutdown());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String body(String user, String content) {
        return OmpJson.write(java.util.Map.of("content", content, "user_id", user));
    }

    static HttpResponse<String> post(String base, String user, String content, String key) throws Exception {
        String body = body(user, content);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/memories")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
