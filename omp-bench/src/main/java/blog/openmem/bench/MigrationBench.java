package blog.openmem.bench;

import blog.openmem.core.Memory;
import blog.openmem.core.migrate.Migration;
import blog.openmem.core.migrate.MigrationReport;
import blog.openmem.spi.model.MemoryInput;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Moving memories postgres → postgres on the local PostgreSQL: {@code users × perUser} memories (every
 * tenth with tags, scope and confidence, every twentieth superseding an older one) in database
 * {@code omp_migrate_bench_src} (seeded once, hash embedder), migrated into a fresh
 * {@code omp_migrate_bench_dst} three times with the target embedding by the hash embedder and once
 * with MiniLM, each run verified on a sample. The peer is what a user would write without the tool:
 * every memory read by {@code exportAll} and written by a single {@code add}, one thread, on the first
 * {@code peerCount} memories.
 *
 * <p>Usage: {@code MigrationBench [users] [perUser] [minilmCount] [peerCount]} (defaults 100, 1000,
 * 100000, 10000); {@code minilmCount} 0 skips the MiniLM run.
 */
public final class MigrationBench {
    private static final String HOST = "postgres://postgres@127.0.0.1:5432/";

    private MigrationBench() {
    }

    /**
     * @param args users, memories per user, memories moved with MiniLM, memories of the peer loop
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int minilm = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int peer = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        String src = HOST + "omp_migrate_bench_src";
        seed(src, users, perUser);
        try (Memory source = Memory.builder().config(src).embedder("hash").build()) {
            double[] rates = new double[3];
            for (int run = 0; run < rates.length; run++) {
                try (Memory target = fresh("omp_migrate_bench_dst", "hash")) {
                    MigrationReport r = Migration.from(source).to(target).run();
                    check(r, (long) users * perUser);
                    rates[run] = r.rate();
                    System.out.printf(Locale.ROOT, "hash, run %d: %s", run + 1, r.describe());
                }
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "postgres → postgres, hash embedder, %d memories of %d users: median %.0f "
                    + "memories/s (runs: %.0f, %.0f, %.0f)%n", (long) users * perUser, users, rates[1], rates[0],
                    rates[1],
                    rates[2]);
            if (minilm > 0) {
                int minilmUsers = Math.max(1, Math.min(users, minilm / perUser));
                List<String> chosen = userIds(minilmUsers);
                try (Memory target = fresh("omp_migrate_bench_dst", "minilm")) {
                    MigrationReport r = Migration.from(source).users(chosen).to(target).run();
                    check(r, (long) minilmUsers * perUser);
                    System.out.printf(Locale.ROOT, "postgres → postgres, MiniLM embedder on the target, %d memories: "
                            + "%.0f memories/s%n%s", r.written(), r.rate(), r.describe());
                }
            }
            try (Memory target = fresh("omp_migrate_bench_dst", "hash")) {
                long t0 = System.nanoTime();
                long n = 0;
                for (String u : userIds(Math.max(1, peer / perUser))) {
                    for (var it = source.exportAll(u).iterator(); it.hasNext() && n < peer; n++) {
                        var m = it.next();
                        target.add(MemoryInput.builder(m.userId(), m.content()).scope(m.scope()).tags(m.tags())
                                .confidence(m.confidence()).extensions(m.extensions()).build());
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "peer (exportAll + one add per memory, one thread, hash), %d memories: "
                        + "%.0f memories/s%n", n, n / s);
            }
        }
    }

    private static void check(MigrationReport r, long expected) {
        if (!r.ok() || r.written() != expected) {
            throw new IllegalStateException("the migration did not move every memory:\n" + r.describe());
        }
    }

    private static List<String> userIds(int n) {
        List<String> out = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            out.add(String.format(Locale.ROOT, "bench-user-%04d", u));
        }
        return out;
    }

    /** Seeds the source once; a source of another size is dropped and seeded again. */
    private static void seed(String url, int users, int perUser) throws Exception {
        admin("CREATE DATABASE omp_migrate_bench_src", true);
        try (Memory m = Memory.builder().config(url).embedder("hash").build()) {
            if (count("omp_migrate_bench_src") == (long) users * perUser) {
                return;
            }
        }
        admin("DROP DATABASE IF EXISTS omp_migrate_bench_src WITH (FORCE)", false);
        admin("CREATE DATABASE omp_migrate_bench_src", false);
        Random rnd = new Random(7);
        try (Memory m = Memory.builder().config(url).embedder("hash").build()) {
            for (String u : userIds(users)) {
                List<blog.openmem.spi.model.Memory> written = new ArrayList<>();
                for (int i = 0; i < perUser; i += 500) {
                    List<MemoryInput> batch = new ArrayList<>();
                    for (int j = i; j < Math.min(perUser, i + 500); j++) {
                        MemoryInput.Builder b = MemoryInput.builder(u, Corpus.memory(u, j));
                        if (j % 10 == 0) {
                            b.tags("t" + rnd.nextInt(5)).scope("work/p" + rnd.nextInt(3)).confidence(0.5)
                                    .extension("x-bench", j);
                        }
                        if (j % 20 == 19 && !written.isEmpty()) {
                            b.supersedes(List.of(written.get(rnd.nextInt(written.size())).id()));
                        }
                        batch.add(b.build());
                    }
                    written.addAll(m.addAll(batch));
                }
            }
        }
        System.out.printf("seeded %d memories of %d users%n", (long) users * perUser, users);
    }

    private static Memory fresh(String db, String embedder) throws Exception {
        admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", false);
        admin("CREATE DATABASE " + db, false);
        return Memory.builder().config(HOST + db).embedder(embedder).build();
    }

    private static long count(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM omp_memories")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String sql, boolean mayFail) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (java.sql.SQLException e) {
            if (!mayFail) {
                throw e;
            }
        }
    }
}
