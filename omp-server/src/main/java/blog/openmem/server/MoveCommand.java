package blog.openmem.server;

import blog.openmem.core.Memory;
import blog.openmem.core.MemoryBuilder;
import blog.openmem.core.migrate.Migration;
import blog.openmem.core.migrate.MigrationListener;
import blog.openmem.core.migrate.MigrationReport;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.OmpException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The runnable jar's {@code export}, {@code import} and {@code migrate} commands, all on
 * {@link Migration}. Both sides are opened (unknown provider, missing key) before anything is read.
 * Exit status: 0 done, 1 memories failed or the run stopped (run it again to resume), 2 bad usage or
 * configuration.
 */
final class MoveCommand {
    static final String HELP = String.join("\n",
            "usage: java -jar omp-server.jar export  --from CONFIG [--user ID]... [--users-file FILE] [--out FILE]",
            "       java -jar omp-server.jar import  --to CONFIG [--in FILE] [--origin NAME]",
            "       java -jar omp-server.jar migrate --from CONFIG --to CONFIG [--user ID]... [--users-file FILE]",
            "                                        [--checkpoint FILE] [--dry-run]",
            "",
            "CONFIG is a provider config string as for --provider: postgres (embedded), postgres://...,",
            "http(s)://... (an OMP server), mem0, supermemory, letta. Without --user/--users-file every user is",
            "taken where the source can list them (postgres can). Secrets come from the environment.",
            "",
            "  --from-setting K=V   a setting of the source (repeatable; embedder=E picks its embedder)",
            "  --to-setting K=V     a setting of the target (repeatable; embedder=E picks its embedder)",
            "  --users-file FILE    users, one per line ('#' starts a comment)",
            "  --out FILE           export: where to write the JSON Lines (default: standard output)",
            "  --in FILE            import: the JSON Lines to read (default: standard input)",
            "  --origin NAME        import: the name recorded as each memory's origin (default: import)",
            "  --checkpoint FILE    finished users, so that a stopped run resumes after them",
            "  --dry-run            read both sides and report what would be written and what the target",
            "                       would not hold; write nothing",
            "  --verify V           none, sample (default) or all: compare counts and fields after each user",
            "  --concurrency N      users moved at once (default 4)",
            "  --batch-size N       memories per write (default 500)");

    private static final Set<String> VALUED = Set.of("from", "to", "user", "users-file", "out", "in", "origin",
            "checkpoint", "verify", "concurrency", "batch-size", "from-setting", "to-setting");

    private MoveCommand() {
    }

    /** The parsed command line. */
    private record Args(String command, Map<String, List<String>> values, boolean dryRun) {
        String one(String name) {
            List<String> v = values.get(name);
            return v == null ? null : v.get(v.size() - 1);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        String required(String name) {
            String v = one(name);
            if (v == null) {
                throw new ConfigurationException(command + ": --" + name + " is required (see --help)");
            }
            return v;
        }
    }

    /**
     * @param command {@code export}, {@code import} or {@code migrate}
     * @param argv    the flags after it
     * @param env     the environment
     * @param out     standard output (the export when no {@code --out})
     * @param err     standard error (progress and the report)
     * @param in      standard input (the import when no {@code --in})
     * @return the exit status
     */
    static int run(String command, String[] argv, Map<String, String> env, PrintStream out, PrintStream err,
                   java.io.InputStream in) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try {
            Args a = parse(command, argv);
            return switch (command) {
                case "export" -> export(a, env, out, err);
                case "import" -> importFile(a, env, err, in);
                default -> migrate(a, env, err);
            };
        } catch (ConfigurationException e) {
            err.println("omp-server " + command + ": " + e.getMessage());
            return 2;
        } catch (OmpException e) {
            err.println("omp-server " + command + ": stopped (run it again to resume): " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("omp-server " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private static Args parse(String command, String[] argv) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        boolean dryRun = false;
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--dry-run")) {
                dryRun = true;
                continue;
            }
            String name = arg.startsWith("--") ? arg.substring(2) : null;
            String value = null;
            if (name != null && name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            }
            if (name == null || !VALUED.contains(name)) {
                throw new ConfigurationException(command + ": unknown argument '" + arg + "' (see --help)");
            }
            if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new ConfigurationException(command + ": --" + name + " needs a value");
                }
                value = argv[++i];
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Args(command, values, dryRun);
    }

    /** Opens one side: its config string, its settings ({@code embedder} picks the embedder). */
    private static Memory open(Args a, String side, Map<String, String> env) {
        MemoryBuilder b = Memory.builder().config(a.required(side)).environment(env);
        for (String kv : a.all(side + "-setting")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException(a.command() + ": --" + side + "-setting must be KEY=VALUE, got '"
                        + kv + "'");
            }
            String key = kv.substring(0, eq);
            String value = kv.substring(eq + 1);
            if (key.equals("embedder")) {
                b.embedder(value);
            } else {
                b.setting(key, value);
            }
        }
        Memory m = b.build();
        try {
            m.capabilities(); // a missing key or an unreachable side fails here, before anything is read
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static List<String> users(Args a) throws IOException {
        List<String> users = new ArrayList<>(a.all("user"));
        String file = a.one("users-file");
        if (file != null) {
            for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                String u = line.strip();
                if (!u.isEmpty() && !u.startsWith("#")) {
                    users.add(u);
                }
            }
        }
        return users;
    }

    private static Migration.Builder tune(Migration.Builder m, Args a, PrintStream err) {
        String verify = a.one("verify");
        if (verify != null) {
            try {
                m.verify(Migration.Verify.valueOf(verify.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(a.command() + ": --verify must be none, sample or all, got '"
                        + verify + "'");
            }
        }
        if (a.one("concurrency") != null) {
            m.concurrency(number(a, "concurrency"));
        }
        if (a.one("batch-size") != null) {
            m.batchSize(number(a, "batch-size"));
        }
        return m.listener(new Progress(err));
    }

    private static int number(Args a, String name) {
        try {
            return Integer.parseInt(a.one(name));
        } catch (NumberFormatException e) {
            throw new ConfigurationException(a.command() + ": --" + name + " must be a number, got '" + a.one(name)
                    + "'");
        }
    }

    private static int export(Args a, Map<String, String> env, PrintStream stdout, PrintStream err)
            throws IOException {
        try (Memory from = open(a, "from", env)) {
            Migration.Builder m = tune(Migration.from(from).users(users(a)), a, err);
            String file = a.one("out");
            MigrationReport r;
            if (file == null) {
                Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
                r = m.exportTo(w);
            } else {
                try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
                    r = m.exportTo(w);
                }
            }
            err.println("omp-server export: " + r.users() + " users, " + r.written() + " memories written"
                    + (file == null ? "" : " to " + file));
            return 0;
        }
    }

    private static int importFile(Args a, Map<String, String> env, PrintStream err, java.io.InputStream stdin)
            throws IOException {
        try (Memory to = open(a, "to", env)) {
            String file = a.one("in");
            Migration.Builder m;
            try (Reader r = file == null ? new InputStreamReader(stdin, StandardCharsets.UTF_8)
                    : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                m = Migration.fromExport(r, a.one("origin") == null ? "import" : a.one("origin"));
            } catch (blog.openmem.spi.error.InvalidRequestException e) {
                err.println("omp-server import: " + (file == null ? "stdin" : file) + ": " + e.getMessage()
                        + "; nothing was written");
                return 2;
            }
            return finish("import", tune(m.to(to).dryRun(a.dryRun()), a, err)
                    .checkpoint(a.one("checkpoint") == null ? null : Path.of(a.one("checkpoint"))).run(), err);
        }
    }

    private static int migrate(Args a, Map<String, String> env, PrintStream err) throws IOException {
        try (Memory from = open(a, "from", env); Memory to = open(a, "to", env)) {
            Migration.Builder m = tune(Migration.from(from).users(users(a)).to(to).dryRun(a.dryRun()), a, err)
                    .checkpoint(a.one("checkpoint") == null ? null : Path.of(a.one("checkpoint")));
            return finish("migrate", m.run(), err);
        }
    }

    private static int finish(String command, MigrationReport r, PrintStream err) {
        err.print("omp-server " + command + ": " + r.describe());
        return r.ok() ? 0 : 1;
    }

    /**
     * Progress on standard error: a progress bar over the users when it is a terminal (memories and
     * their rate beside it), else one plain line every 10 s.
     */
    private static final class Progress implements MigrationListener {
        private final PrintStream err;
        private final boolean terminal = System.console() != null;
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong users = new AtomicLong();
        private final long t0 = System.nanoTime();
        private volatile long total = -1;
        private volatile long lastLine = System.nanoTime();
        private ProgressBar bar;

        Progress(PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void started(int n) {
            total = n;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName("users").setInitialMax(Math.max(n, 0))
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
            }
        }

        @Override
        public void written(int n) {
            written.addAndGet(n);
            tick();
        }

        @Override
        public void userDone(String userId) {
            users.incrementAndGet();
            tick();
        }

        private synchronized void tick() {
            double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
            String memories = String.format(Locale.ROOT, "%d memories, %.0f/s", written.get(), written.get() / s);
            if (bar != null) {
                bar.stepTo(users.get());
                bar.setExtraMessage(memories);
                if (users.get() == total) {
                    bar.close();
                    bar = null;
                }
            } else if (!terminal && System.nanoTime() - lastLine > 10_000_000_000L) {
                lastLine = System.nanoTime();
                long u = users.get();
                String eta = u > 0 && total > 0 ? String.format(Locale.ROOT, ", about %.0f s left",
                        s / u * (total - u)) : "";
                err.println("omp-server: " + u + (total >= 0 ? " of " + total : "") + " users, " + memories + eta);
            }
        }
    }
}
