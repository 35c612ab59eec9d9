package blog.openmem.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A vendor benchmark run several times, each in a JVM of its own (JMH's forks): every fork prints
 * its own report, and a line per row for the parent to read; the parent prints, per phase and
 * operation, the median over the forks of the adapter's p50, the raw call's p50 and the overhead,
 * with each fork's overhead beside it.
 */
final class Forks {
    /** The phase in which each operation runs on its own. */
    static final String ON_ITS_OWN = "each operation on its own";
    /** The phase in which all operations run round by round. */
    static final String INTERLEAVED = "all operations interleaved";

    /** Set in a fork: its rows are also printed for the parent. */
    private static final String FORK_PROPERTY = "bench.fork";
    private static final String MARK = "@row\t";

    private Forks() {
    }

    /** One fork's figures for a row, in milliseconds. */
    private record Row(double adapterP50, double adapterP99, double rawP50, double rawP99) {
        double overhead() {
            return (adapterP50 / rawP50 - 1) * 100;
        }
    }

    /** In a fork, prints the row for the parent; elsewhere nothing. */
    static void result(String phase, String what, Stats adapter, Stats raw) {
        if (Boolean.getBoolean(FORK_PROPERTY)) {
            System.out.printf(Locale.ROOT, "%s%s\t%s\t%.6f\t%.6f\t%.6f\t%.6f%n", MARK, phase, what, adapter.p50(),
                    adapter.p99(), raw.p50(), raw.p99());
        }
    }

    /**
     * Runs {@code main} {@code forks} times with one fork each (same JVM options and system properties,
     * so a {@code bench.simCpus} setting and the CPU affinity carry over) and prints the medians.
     *
     * @param main     the benchmark's class
     * @param provider the provider id, for the headings
     * @param n        iterations per side and operation
     * @param forks    how many forks
     * @throws Exception when a fork fails
     */
    static void run(Class<?> main, String provider, int n, int forks) throws Exception {
        Map<String, Map<String, List<Row>>> phases = new LinkedHashMap<>();
        for (int f = 1; f <= forks; f++) {
            System.out.printf("%s, fork %d of %d:%n", provider, f, forks);
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-D" + FORK_PROPERTY + "=true");
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), Integer.toString(n), "1"));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(MARK)) {
                        String[] c = line.substring(MARK.length()).split("\t");
                        phases.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).computeIfAbsent(c[1],
                                k -> new ArrayList<>()).add(new Row(Double.parseDouble(c[2]), Double.parseDouble(c[3]),
                                Double.parseDouble(c[4]), Double.parseDouble(c[5])));
                    } else {
                        System.out.println("  " + line);
                    }
                }
            }
            if (p.waitFor() != 0) {
                throw new IllegalStateException("fork " + f + " failed with exit code " + p.exitValue());
            }
        }
        System.out.printf("%s: medians over %d forks (%d pairs per operation in each)%n", provider, forks, n);
        phases.forEach((phase, rows) -> {
            System.out.println(phase + ":");
            rows.forEach((what, r) -> System.out.printf(Locale.ROOT,
                    "%-48s adapter p50 %.3f ms p99 %.3f ms | raw HttpClient p50 %.3f ms p99 %.3f ms | overhead at p50"
                            + " %+.1f%% (forks: %s)%n", what, median(r, Row::adapterP50), median(r, Row::adapterP99),
                    median(r, Row::rawP50), median(r, Row::rawP99), median(r, Row::overhead),
                    r.stream().map(x -> String.format(Locale.ROOT, "%+.1f", x.overhead()))
                            .collect(Collectors.joining(" "))));
        });
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> f) {
        List<Double> v = new ArrayList<>();
        rows.forEach(r -> v.add(f.applyAsDouble(r)));
        Collections.sort(v);
        int m = v.size() / 2;
        return v.size() % 2 == 1 ? v.get(m) : (v.get(m - 1) + v.get(m)) / 2;
    }
}
