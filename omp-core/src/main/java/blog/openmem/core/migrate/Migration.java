package blog.openmem.core.migrate;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.Verb;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Moves memories from one provider (or a JSON Lines export) to another:
 * <pre>{@code
 * MigrationReport r = Migration.from(mem0).to(postgres).checkpoint(Path.of("mem0.ckpt")).run();
 * }</pre>
 * Every memory of the chosen users (all users where the source can list them) is read, superseded
 * and expired ones included, and written with its content, scope, tags, source, confidence,
 * validity and {@code x-} fields, its original {@code created_at} where the target declares
 * {@link blog.openmem.spi.model.Features#KEEPS_CREATED_AT} and its {@code supersedes} rewritten to
 * the target's ids; each carries its {@link Origin} in {@code x-omp-origin}. A memory whose origin
 * the target already holds is not written again, so a second run writes nothing and a run killed
 * half way continues without duplicates or gaps; the checkpoint lets it skip finished users without
 * reading them. Users move in parallel ({@link Builder#concurrency}), each user's memories in
 * batches ({@link Builder#batchSize}) through {@link Memory#importAll}, under the target's retries
 * and rate limit. A dry run reads both sides and reports, per field, what the target would not hold,
 * and writes nothing. A verification pass compares the counts per user and the fields of a sample
 * (or of every memory).
 */
public final class Migration {
    private Migration() {
    }

    /** How much the verification pass compares after each user. */
    public enum Verify {
        /** No verification. */
        NONE,
        /** Counts per user, and the fields of about one memory in twenty (at least ten per user). */
        SAMPLE,
        /** Counts per user, and the fields of every memory. */
        ALL
    }

    /**
     * @param source the provider to read
     * @return a builder
     */
    public static Builder from(Memory source) {
        return new Builder(Source.of(source));
    }

    /**
     * Reads a whole JSON Lines export first: a malformed line fails here, naming the line, before
     * anything is written.
     *
     * @param in     the export ({@link Builder#exportTo})
     * @param origin the name recorded as the origin's provider of every memory (keep it the same
     *               across runs of one import, so that a second run finds what the first wrote)
     * @return a builder
     * @throws blog.openmem.spi.error.InvalidRequestException naming the first malformed line
     */
    public static Builder fromExport(Reader in, String origin) {
        return new Builder(Jsonl.read(in, origin));
    }

    /** Attempts of one user when a side answers with a retryable failure (rate limited, unavailable). */
    private static final int USER_ATTEMPTS = 5;

    /**
     * Moves one user; when a side still refuses after its own HTTP retries (a rate limit outlasting
     * them, a short outage), waits ({@code Retry-After} when given, else 1, 2, 4, 8 s) and moves the
     * user again: what the interrupted attempt wrote is found by its origins, so nothing is doubled.
     */
    private static boolean moveWithRetries(UserMove move, String user, Tally tally) throws InterruptedException {
        long writtenBefore = 0;
        for (int attempt = 1; ; attempt++) {
            Tally mine = new Tally();
            try {
                boolean complete = move.run(user, mine);
                tally.add(mine, writtenBefore);
                return complete;
            } catch (OmpException e) {
                if (!e.isRetryable() || attempt == USER_ATTEMPTS) {
                    throw e;
                }
                writtenBefore += mine.written();
                Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1L << (attempt - 1)));
                LoggerFactory.getLogger(Migration.class).warn("migration: user {}: "
                        + "{}; moving it again in {} s", user, e.getMessage(), wait.toSeconds());
                Thread.sleep(wait.toMillis());
            }
        }
    }

    /** Configures and runs a migration or an export. */
    public static final class Builder {
        private final Source source;
        private final Set<String> users = new LinkedHashSet<>();
        private Memory target;
        private Path checkpoint;
        private boolean dryRun;
        private int concurrency = 4;
        private int batchSize = 500;
        private Verify verify = Verify.SAMPLE;
        private MigrationListener listener = new MigrationListener() {
        };

        private Builder(Source source) {
            this.source = source;
        }

        /** @param v users to take (none named: every user, where the source can list them) @return this */
        public Builder users(Collection<String> v) {
            users.addAll(v);
            return this;
        }

        /** @param v the target @return this */
        public Builder to(Memory v) {
            this.target = Objects.requireNonNull(v, "target");
            return this;
        }

        /** @param v a file recording finished users, read again by the next run @return this */
        public Builder checkpoint(Path v) {
            this.checkpoint = v;
            return this;
        }

        /** @param v true to read and report only @return this */
        public Builder dryRun(boolean v) {
            this.dryRun = v;
            return this;
        }

        /** @param v users moved at once, 1..64 (default 4) @return this */
        public Builder concurrency(int v) {
            if (v < 1 || v > 64) {
                throw new ConfigurationException("concurrency: must be 1..64, got " + v);
            }
            this.concurrency = v;
            return this;
        }

        /** @param v memories per write, 1..1000 (default 500) @return this */
        public Builder batchSize(int v) {
            if (v < 1 || v > 1000) {
                throw new ConfigurationException("batch_size: must be 1..1000, got " + v);
            }
            this.batchSize = v;
            return this;
        }

        /** @param v the verification pass (default {@link Verify#SAMPLE}) @return this */
        public Builder verify(Verify v) {
            this.verify = Objects.requireNonNull(v, "verify");
            return this;
        }

        /** @param v told of progress @return this */
        public Builder listener(MigrationListener v) {
            this.listener = Objects.requireNonNull(v, "listener");
            return this;
        }

        private List<String> chosenUsers() {
            if (!users.isEmpty()) {
                return List.copyOf(users);
            }
            try (Stream<String> all = source.users()) {
                return all.toList();
            } catch (UnsupportedCapabilityException e) {
                throw new ConfigurationException("source '" + source.name() + "' cannot list its users: name them"
                        + " (--user ID, --users-file FILE)");
            }
        }

        /**
         * Writes every memory of the users as JSON Lines, one OMP {@code Memory} per line.
         *
         * @param out where to write (not closed)
         * @return what was read and written
         * @throws IOException when writing fails
         */
        public MigrationReport exportTo(Writer out) throws IOException {
            long t0 = System.nanoTime();
            List<String> chosen = chosenUsers();
            listener.started(chosen.size());
            long n = 0;
            for (String user : chosen) {
                List<blog.openmem.spi.model.Memory> memories = source.memories(user);
                listener.read(memories.size());
                for (blog.openmem.spi.model.Memory m : memories) {
                    out.write(Jsonl.line(m));
                    out.write('\n');
                }
                n += memories.size();
                listener.written(memories.size());
                listener.userDone(user);
            }
            out.flush();
            return new MigrationReport(false, chosen.size(), 0, n, n, 0, List.of(), java.util.Map.of(), List.of(), 0,
                    Duration.ofNanos(System.nanoTime() - t0));
        }

        /**
         * Runs the migration.
         *
         * @return the report; failures of single memories are in it, not thrown
         * @throws OmpException when the run cannot go on (a side unreachable after its retries, a bad
         *     checkpoint, users that cannot be listed); run again to resume
         */
        public MigrationReport run() {
            if (target == null) {
                throw new ConfigurationException("migration: no target (to)");
            }
            long t0 = System.nanoTime();
            var caps = target.capabilities();
            if (!caps.supports(Verb.ADD)) {
                throw new ConfigurationException("target '" + target.providerId() + "' does not offer add");
            }
            if (!caps.supports(Verb.LIST) && !caps.features().has(blog.openmem.spi.model.Features.EXPORT)) {
                throw new ConfigurationException("target '" + target.providerId() + "' cannot read a user's memories"
                        + " back, so a migration could not tell what it already holds");
            }
            List<String> chosen = chosenUsers();
            TargetFit fit = new TargetFit(caps);
            UserMove move = new UserMove(source, target, fit, batchSize, verify, dryRun, listener);
            Tally tally = new Tally();
            AtomicInteger resumed = new AtomicInteger();
            listener.started(chosen.size());
            try (Checkpoint cp = checkpoint == null || dryRun ? Checkpoint.none()
                    : Checkpoint.open(checkpoint, source.name() + " -> " + target.providerId())) {
                ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
                    Thread t = new Thread(r, "omp-migrate");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<?>> futures = new ArrayList<>();
                    for (String user : chosen) {
                        futures.add(pool.submit(() -> {
                            if (cp.done(user)) {
                                resumed.incrementAndGet();
                            } else if (moveWithRetries(move, user, tally)) {
                                cp.finished(user);
                            }
                            listener.userDone(user);
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new blog.openmem.spi.error.ProviderException("migration: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new blog.openmem.spi.error.ProviderException("migration: interrupted; run it again to resume");
                } finally {
                    pool.shutdownNow();
                }
            }
            return tally.report(dryRun, chosen.size(), resumed.get(), Duration.ofNanos(System.nanoTime() - t0));
        }
    }
}
