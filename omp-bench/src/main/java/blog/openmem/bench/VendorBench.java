package blog.openmem.bench;

import blog.openmem.core.Memory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The run every vendor benchmark shares: the simulator ({@link BenchSim}), the adapter on it and a
 * raw client, one user seeded with 200 memories; a warm-up of 1500 rounds of every operation; then each
 * operation on its own (a warm-up of 1500 pairs, then the measured pairs, adapter and raw call
 * alternating which goes first), and then all
 * operations interleaved round by round (a warm-up of 1500 rounds, then the measured rounds). Both
 * are reported: interleaving makes each operation's time depend on the others' (the JIT sees every
 * call path at once, caches hold the mix), by as much as the A/A line's clients, used once a round,
 * lose against the compared raw client.
 */
final class VendorBench {
    private VendorBench() {
    }

    /** The benchmark's own calls, both sides. */
    interface Workload {
        /**
         * @param rounds rounds of every pair
         * @param table  where the pairs are timed (it may run only one of them)
         * @return the table
         * @throws Exception on failure
         */
        Pairs.Table run(int rounds, Pairs.Table table) throws Exception;
    }

    /** Builds the workload once the stage is set. */
    interface Stage {
        /**
         * @param raw the raw client compared with the adapter, used exactly as often as the adapter
         * @param aa  two more raw clients for the A/A line: a client used more often than another
         *            answers faster (its connection's server thread is kept warm), so the A/A pair
         *            must not share the compared client
         */
        Workload on(String base, Memory adapter, HttpClient raw, HttpClient[] aa, Corpus.Seeded seeded);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /**
     * @param provider the provider id, also the simulator's kind
     * @param apiKey   the simulator's key
     * @param args     the benchmark's arguments: iterations per side and operation
     * @param stage    the workload
     * @throws Exception on failure
     */
    static void run(String provider, String apiKey, String[] args, Stage stage) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        try (BenchSim sim = BenchSim.start(provider);
             Memory adapter = Memory.builder().config(provider).setting("base_url", sim.url())
                     .setting("api_key", apiKey).build()) {
            HttpClient raw = client();
            // Letters, digits and '-' only: a valid user, namespace or tag on every vendor.
            Corpus.Seeded seeded = Corpus.seed(adapter, "bench-" + UUID.randomUUID().toString().substring(0, 8), 200);
            System.out.printf("%s: seeded 200 memories for one user; %d calls per side per operation, interleaved%n",
                    provider, n);
            Workload w = stage.on(sim.url(), adapter, raw, new HttpClient[] {client(), client()}, seeded);
            // One warm-up of every path first: the phase measured first would otherwise run while the JIT
            // is still compiling the others (its p50 came out twice the A/A clients').
            List<String> operations = w.run(1500, new Pairs.Table()).names();
            System.out.println("each operation on its own (warm-up, then its pairs only, as a JMH benchmark per"
                    + " operation):");
            for (String op : operations) {
                w.run(1500, new Pairs.Table(op)); // warm-up
                w.run(n, new Pairs.Table(op)).report();
            }
            System.out.println("all operations interleaved, round by round:");
            w.run(1500, new Pairs.Table()); // warm-up
            w.run(n, new Pairs.Table()).report();
        }
    }
}
