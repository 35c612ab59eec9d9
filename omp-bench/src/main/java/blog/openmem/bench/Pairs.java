package blog.openmem.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An adapter's call and a hand-written call of the same route, timed in alternating order so that
 * drift hits both sides alike, and the line that reports them.
 */
final class Pairs {
    private Pairs() {
    }

    /** One timed call; returns what it got (null, or 0 results, fails the run: it would time empty answers). */
    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    static void pair(boolean adapterFirst, Call adapter, Stats adapterStats, Call raw, Stats rawStats)
            throws Exception {
        for (int side = 0; side < 2; side++) {
            boolean useAdapter = (side == 0) == adapterFirst;
            long t0 = System.nanoTime();
            Object got = (useAdapter ? adapter : raw).run();
            (useAdapter ? adapterStats : rawStats).add(System.nanoTime() - t0);
            if (got == null || Integer.valueOf(0).equals(got)) {
                throw new IllegalStateException("a call found nothing: the benchmark would measure empty answers");
            }
        }
    }

    static void report(String what, Stats a, Stats r) {
        System.out.printf(Locale.ROOT, "%-48s adapter p50 %.3f ms p99 %.3f ms | raw HttpClient p50 %.3f ms "
                + "p99 %.3f ms | overhead at p50 %+.1f%% (n=%d)%n", what, a.p50(), a.p99(), r.p50(), r.p99(),
                (a.p50() / r.p50() - 1) * 100, a.count());
    }

    /** Named pairs of timings, reported in the order first timed. */
    static final class Table {
        private final Map<String, Stats[]> rows = new LinkedHashMap<>();
        private final String only;

        /** A table of every pair. */
        Table() {
            this(null);
        }

        /** @param only the one row run and timed; the workload's other pairs are not run at all */
        Table(String only) {
            this.only = only;
        }

        /** @return the rows' names, in the order first timed */
        List<String> names() {
            return List.copyOf(rows.keySet());
        }

        /** Times the adapter's call and the raw one under the row's name. */
        void pair(String what, boolean adapterFirst, Call adapter, Call raw) throws Exception {
            if (only != null && !only.equals(what)) {
                return;
            }
            Stats[] s = rows.computeIfAbsent(what, k -> new Stats[] {new Stats(), new Stats()});
            Pairs.pair(adapterFirst, adapter, s[0], raw, s[1]);
        }

        /**
         * Prints one line per row, and in a fork also the line {@link Forks} reads.
         *
         * @param phase the phase the rows were timed in
         */
        void report(String phase) {
            rows.forEach((what, s) -> {
                Pairs.report(what, s[0], s[1]);
                Forks.result(phase, what, s[0], s[1]);
            });
        }
    }
}
