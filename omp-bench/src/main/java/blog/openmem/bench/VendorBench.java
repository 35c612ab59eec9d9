package blog.openmem.bench;

import blog.openmem.core.Memory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The run every vendor benchmark shares: the simulator ({@link BenchSim}), the adapter on it and a
 * raw client, one user seeded with 200 memories; a warm-up of 1500 rounds of every operation; then each
 * operation on its own (a warm-up until steady state — see {@link #warmUp} — then the measured pairs,
 * adapter and raw call alternating which goes first), and then all operations interleaved round by
 * round (the same warm-up, then the measured rounds). Both
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
         *            must not share the compared client. In a round, the A/A pair runs right after
         *            the get pair, not before it: it runs the raw get's code, and placed just before
         *            the compared pair it left that code warm for the raw side only, while the
         *            adapter's had last run a round before.
         */
        Workload on(String base, Memory adapter, HttpClient raw, HttpClient[] aa, Corpus.Seeded seeded);
    }

    /**
     * The system property that limits a run to the operations whose names start with its value (as
     * JMH's include pattern does), without the interleaved phase: for looking into one operation.
     */
    static final String ONLY_PROPERTY = "bench.only";

    /** Warm-up pairs (or rounds) at the least: the JIT compiles a method fully after ~10 000 calls. */
    static final int WARM_UP_PAIRS = 10_000;
    /** Warm-up time at the most, for operations slow enough that 10 000 pairs would take minutes. */
    static final Duration WARM_UP_TIME = Duration.ofSeconds(20);

    /**
     * Runs an operation's pairs (or, for {@code op} null, whole rounds) until {@link #WARM_UP_PAIRS} or
     * {@link #WARM_UP_TIME}, whichever comes first, as JMH warms up before measuring: with 1 500 pairs
     * the adapter's longer call path (more methods, each compiled fully only after its own ~10 000
     * calls) was measured partly before the JIT had compiled it, the raw call's short one was not.
     */
    static void warmUp(Workload w, String op) throws Exception {
        long until = System.nanoTime() + WARM_UP_TIME.toNanos();
        for (int done = 0; done < WARM_UP_PAIRS && System.nanoTime() < until; done += 500) {
            w.run(500, op == null ? new Pairs.Table() : new Pairs.Table(op));
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /**
     * Runs the benchmark: with {@code forks} above 1, that many times, each in a JVM of its own (as JMH
     * forks), then the medians over the forks; with 1, once in this JVM. A single run's overhead
     * carries a bias of its own that warm-up does not remove — which connection, server thread and
     * JIT decisions each client happened to get; the A/A line of single runs ranged over ±5% — so the
     * figure reported is the median of the forks' overheads, with every fork's beside it. With
     * {@code -Dbench.only=<prefix>} ({@link #ONLY_PROPERTY}), only the operations named so are run.
     *
     * @param provider the provider id, also the simulator's kind
     * @param apiKey   the simulator's key
     * @param args     the benchmark's arguments: iterations per side and operation (default 3000), forks
     *                 (default 5)
     * @param stage    the workload
     * @throws Exception on failure
     */
    static void run(String provider, String apiKey, String[] args, Stage stage) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (forks > 1) {
            Class<?> main = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
            Forks.run(main, provider, n, forks);
        } else {
            runOnce(provider, apiKey, n, stage);
        }
    }

    private static void runOnce(String provider, String apiKey, int n, Stage stage) throws Exception {
        try (BenchSim sim = BenchSim.start(provider);
             Memory adapter = Memory.builder().config(provider).setting("base_url", sim.url())
                     .setting("api_key", apiKey).build()) {
            HttpClient raw = client();
            // Letters, digits and '-' only: a valid user, namespace or tag on every vendor.
            Corpus.Seeded seeded = Corpus.seed(adapter, "bench-" + UUID.randomUUID().toString().substring(0, 8), 200);
            System.out.printf("%s: seeded 200 memories for one user; %d calls per side per operation%n", provider, n);
            Workload w = stage.on(sim.url(), adapter, raw, new HttpClient[] {client(), client()}, seeded);
            // One warm-up of every path first: the phase measured first would otherwise run while the JIT
            // is still compiling the others (its p50 came out twice the A/A clients').
            List<String> operations = w.run(1500, new Pairs.Table()).names();
            String only = System.getProperty(ONLY_PROPERTY, "");
            if (operations.stream().noneMatch(op -> op.startsWith(only))) {
                throw new IllegalArgumentException("-D" + ONLY_PROPERTY + "=" + only + " names no operation of "
                        + provider + ": " + operations);
            }
            System.out.println("each operation on its own (warm-up, then its pairs only, as a JMH benchmark per"
                    + " operation):");
            for (String op : operations) {
                if (op.startsWith(only)) {
                    warmUp(w, op);
                    w.run(n, new Pairs.Table(op)).report(Forks.ON_ITS_OWN);
                }
            }
            if (!only.isEmpty()) {
                return;
            }
            System.out.println("all operations interleaved, round by round:");
            warmUp(w, null);
            w.run(n, new Pairs.Table()).report(Forks.INTERLEAVED);
        }
    }
}
