package blog.openmem.bench;

import blog.openmem.sim.LettaSim;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.sim.VendorSim;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A vendor simulator for a benchmark (OpenAPI checks off, documents processed at once): in this JVM,
 * or, with {@code -Dbench.simCpus=<cpu list>}, in a JVM of its own pinned to those CPUs by
 * {@code taskset}, so that the simulator's work does not compete with the client under test for the
 * same cores (run the benchmark itself with {@code taskset} on the others).
 */
final class BenchSim implements AutoCloseable {
    private final String url;
    private final AutoCloseable stop;

    private BenchSim(String url, AutoCloseable stop) {
        this.url = url;
        this.stop = stop;
    }

    /** @return the simulator's base URL */
    String url() {
        return url;
    }

    /**
     * @param kind {@code mem0}, {@code supermemory} or {@code letta}
     * @return the started simulator
     * @throws Exception when it cannot start
     */
    static BenchSim start(String kind) throws Exception {
        String cpus = System.getProperty("bench.simCpus");
        if (cpus == null || cpus.isBlank()) {
            VendorSim sim = create(kind);
            return new BenchSim(sim.url(), sim);
        }
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus,
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                BenchSim.class.getName(), kind));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("http")) {
            p.destroy();
            throw new IllegalStateException("the simulator process did not start");
        }
        return new BenchSim(line.trim(), () -> {
            p.getOutputStream().close(); // its stdin closing ends it
            p.waitFor();
        });
    }

    private static VendorSim create(String kind) {
        VendorSim sim = switch (kind) {
            case "mem0" -> new Mem0PlatformSim();
            case "supermemory" -> new SupermemoryV5Sim().readsUntilDone(0);
            case "letta" -> new LettaSim();
            default -> throw new IllegalArgumentException("unknown simulator " + kind);
        };
        return sim.checking(false).start();
    }

    /**
     * The simulator process: prints its URL, serves until its standard input closes.
     *
     * @param args {@code mem0}, {@code supermemory} or {@code letta}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (VendorSim sim = create(args[0])) {
            System.out.println(sim.url());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the benchmark closes the pipe
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
