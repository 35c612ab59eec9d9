package blog.openmem.postgres;

import blog.openmem.spi.embed.Embedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which users are large. Users with many memories go through the HNSW index (pgvector mode) and are
 * planned per call; everyone else is ranked exactly from the per-user index, which is faster and
 * exact for them. A user who crosses {@code ann_threshold} is promoted in the background: their rows
 * flagged for the graph in batches, then the user recorded in {@code omp_large_users}, which every
 * process reloads once a minute. Until that is done they stay on the exact path, so no row is ever
 * invisible.
 */
final class UserTiers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserTiers.class);
    private static final long CACHE_MILLIS = 60_000;
    private static final int MAX_CACHED = 100_000;

    /** Where a user stands. */
    enum Tier {
        /** Ranked exactly from the per-user index. */
        TYPICAL,
        /** Crossed the threshold; rows being flagged for the graph; still on the exact path. */
        PROMOTING,
        /** Recorded as large: the HNSW graph in pgvector mode, plans per call. */
        LARGE
    }

    /** A user's tier as last seen, and until when that is trusted. */
    private record Known(Tier tier, long until) {
    }

    private final DataSource ds;
    private final Embedder embedder;
    private final PostgresSettings settings;
    private final boolean pgvector;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Refreshed<Set<String>> recorded = new Refreshed<>(CACHE_MILLIS);
    private final ExecutorService promoter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "omp-postgres-ann-promoter");
        t.setDaemon(true);
        return t;
    });

    UserTiers(DataSource ds, Embedder embedder, PostgresSettings settings, boolean pgvector) {
        this.ds = ds;
        this.embedder = embedder;
        this.settings = settings;
        this.pgvector = pgvector;
    }

    /** @return the tier last seen, without a query ({@link Tier#TYPICAL} when unknown) */
    Tier cached(String userId) {
        Known k = known.get(userId);
        return k == null ? Tier.TYPICAL : k.tier();
    }

    /** @return whether the user is searched as a large one (HNSW graph or GIN index, planned per call) */
    boolean large(Connection c, String userId) throws SQLException {
        return recordedLarge(c, userId) || cached(userId) == Tier.PROMOTING;
    }

    /**
     * @return whether the user is recorded as large; on a sample of searches of users not known to be,
     *     counts their rows and starts a promotion when they crossed the threshold
     */
    private boolean recordedLarge(Connection c, String userId) throws SQLException {
        long now = System.currentTimeMillis();
        if (recorded(c).contains(userId)) {
            known.put(userId, new Known(Tier.LARGE, Long.MAX_VALUE));
            return true;
        }
        Known k = known.get(userId);
        if (k != null && k.until() > now) {
            return k.tier() == Tier.LARGE;
        }
        // Counting on every search would cost a round trip for every user; a sample of searches of
        // users not known to be large is enough to notice one that has grown.
        if (ThreadLocalRandom.current().nextDouble() >= settings.largeUserCheckRate()) {
            return false;
        }
        long count;
        try (PreparedStatement ps = new SqlParams().sql("SELECT count(*) FROM (SELECT 1 FROM omp_memories"
                + " WHERE user_id = ? AND embedding_model = ? LIMIT ?) t", userId, embedder.modelName(),
                settings.annThreshold()).prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            count = rs.getLong(1);
        }
        if (known.size() > MAX_CACHED) {
            known.clear();
        }
        if (count < settings.annThreshold()) {
            known.put(userId, new Known(Tier.TYPICAL, now + CACHE_MILLIS));
            return false;
        }
        known.put(userId, new Known(Tier.PROMOTING, Long.MAX_VALUE));
        promoter.submit(() -> promote(userId));
        return false;
    }

    /** The users promoted by any process, reloaded once a minute. */
    private Set<String> recorded(Connection c) throws SQLException {
        return recorded.get(() -> {
            Set<String> users = new HashSet<>();
            try (PreparedStatement ps = new SqlParams().sql("SELECT user_id FROM omp_large_users WHERE"
                    + " embedding_model = ?", embedder.modelName()).prepare(c); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
            }
            return users;
        });
    }

    /** Flags a large user's rows for the graph in batches (pgvector mode) and records the user. */
    private void promote(String userId) {
        try (Connection c = ds.getConnection()) {
            int updated = 0;
            do {
                if (!pgvector) {
                    break;
                }
                try (PreparedStatement ps = new SqlParams().sql("UPDATE omp_memories SET ann = true WHERE id IN"
                        + " (SELECT id FROM omp_memories WHERE user_id = ? AND embedding_model = ? AND NOT ann"
                        + " LIMIT 1000)", userId, embedder.modelName()).prepare(c)) {
                    updated = ps.executeUpdate();
                }
            } while (updated > 0);
            try (PreparedStatement ps = new SqlParams().sql("INSERT INTO omp_large_users (user_id, embedding_model)"
                    + " VALUES (?, ?) ON CONFLICT DO NOTHING", userId, embedder.modelName()).prepare(c)) {
                ps.executeUpdate();
            }
            recorded.expire();
            known.put(userId, new Known(Tier.LARGE, Long.MAX_VALUE));
        } catch (SQLException | RuntimeException e) {
            // The user stays on the exact path (correct, slower for them) and is tried again when a
            // later search counts their rows.
            known.remove(userId);
            LOG.warn("postgres: promoting a large user to the HNSW path failed ({}); "
                    + "it stays on the exact path and is tried again later", e instanceof SQLException s
                    ? "SQLSTATE " + s.getSQLState() : e.getClass().getSimpleName());
        }
    }

    /** Waits until background promotions queued so far are done (tests and benchmarks). */
    void awaitPromotions() {
        try {
            promoter.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        promoter.shutdownNow();
    }
}
