package blog.openmem.postgres;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Connection and transaction policy: callers queue in order for the pool, reads run in autocommit,
 * writes commit durably, and SQL failures become OMP errors.
 */
final class Database implements AutoCloseable {
    /**
     * A CTE making the statement's own (autocommit) transaction commit durably, whatever the
     * session's {@code synchronous_commit=off}: the setting is read at commit, and set_config's
     * transaction-local value holds until then. One round trip instead of SET LOCAL + statement + COMMIT.
     */
    static final String DURABLE = "sync AS (SELECT set_config('synchronous_commit', 'on', true))";

    private final HikariDataSource ds;
    private final PostgresSettings settings;
    private final java.util.concurrent.Semaphore gate;

    Database(HikariDataSource ds, PostgresSettings settings) {
        this.ds = ds;
        this.settings = settings;
        this.gate = new java.util.concurrent.Semaphore(settings.poolSize(), true);
    }

    /** @return the pool, for work that takes its connection directly (background promotion) */
    HikariDataSource dataSource() {
        return ds;
    }

    /** A unit of JDBC work. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Reads run in autocommit. Their audit rows use the session default
     * {@code synchronous_commit=off}: atomic and ordered, but the last few hundred milliseconds of
     * read-audit may be lost if the server crashes. Writes are always synchronous (see {@link #write}).
     */
    <T> T read(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw SqlErrors.map(e, what);
        }
    }

    /**
     * Runs work on a pooled connection, callers served first come, first served. HikariCP lets a
     * thread that just returned a connection take it straight back, so under saturation some
     * waiters starved past the pool timeout (503s at 600 searches/s in the server's load test);
     * a fair semaphore (one permit per pooled connection) in front of the pool queues them in
     * order instead. Background work (promotion of large users) takes its connection directly.
     */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        // One deadline for the queue and the pool together: a wait of the pool timeout for a permit
        // and then another for a connection would add up to twice the timeout when the database is
        // down (64 callers: a 503 after 2.09 s, where the contract allows 2 s).
        long deadline = System.nanoTime() + settings.poolTimeout().toNanos();
        boolean permit;
        try {
            permit = gate.tryAcquire(settings.poolTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.sql.SQLTransientConnectionException("interrupted while waiting for a connection");
        }
        if (!permit) {
            throw new java.sql.SQLTransientConnectionException("all " + settings.poolSize()
                    + " connections busy for " + settings.poolTimeout().toMillis() + " ms");
        }
        try (Connection c = connection(deadline)) {
            return work.run(c);
        } finally {
            gate.release();
        }
    }

    /** A pooled connection within what is left of the caller's deadline. */
    private Connection connection(long deadline) throws SQLException {
        long leftMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs < 1) {
            throw new java.sql.SQLTransientConnectionException("no connection within "
                    + settings.poolTimeout().toMillis() + " ms");
        }
        if (ds.getHikariPoolMXBean() instanceof com.zaxxer.hikari.pool.HikariPool pool) {
            return pool.getConnection(leftMs);
        }
        return ds.getConnection();
    }

    /** Writes: one transaction with a durable commit; the audit entry is in the same transaction. */
    <T> T write(String what, SqlWork<T> work) {
        return writeOne(what, c -> {
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL synchronous_commit TO on");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection is broken; the pool will discard it.
                }
                throw e;
            }
        });
    }

    /**
     * A write of one statement in its own (autocommit) transaction; the statement makes its commit
     * durable itself ({@link #DURABLE}). {@link #write} runs its transactions through here too.
     */
    <T> T writeOne(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw SqlErrors.map(e, what);
        } catch (OmpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProviderException("postgres: " + what + " failed", new ErrorDetails("postgres", null, null, e));
        }
    }

    @Override
    public void close() {
        ds.close();
    }
}
