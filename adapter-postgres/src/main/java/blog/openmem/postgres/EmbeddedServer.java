package blog.openmem.postgres;

import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL started from binaries shipped on Maven Central ({@code io.zonky.test}), with
 * its data kept in a directory across restarts. It has no pgvector, so the provider runs in the
 * exact vector mode on it.
 */
final class EmbeddedServer implements AutoCloseable {
    private final EmbeddedPostgres pg;

    private EmbeddedServer(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static EmbeddedServer start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            ensureFree(dataDir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .start();
            return new EmbeddedServer(pg);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("postgres: cannot start the embedded PostgreSQL in " + dataDir + ": "
                    + e.getMessage(), ErrorDetails.cause(e));
        }
    }

    /**
     * The embedded server holds a lock on {@code epg-lock} in its data directory while it runs; a second
     * process on the same directory would wait for it and fail after about 20 s with "could not lock".
     * Said at once instead, with what to do.
     */
    private static void ensureFree(Path dataDir) {
        Path lock = dataDir.resolve("epg-lock");
        if (!Files.exists(lock)) {
            return; // never started here (and initdb wants the directory empty: the file is not made here)
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.tryLock();
            if (held == null) {
                throw inUse(dataDir);
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw inUse(dataDir); // held by this very process
        } catch (IOException e) {
            // Not lockable here (a read-only directory, ...): the server's own start says what is wrong.
        }
    }

    private static ConfigurationException inUse(Path dataDir) {
        return new ConfigurationException("postgres: the embedded PostgreSQL data directory " + dataDir + " is in use"
                + " by another process (another omp-server or application on the same data_dir): stop it, or give"
                + " this one its own directory (--data-dir, setting data_dir)");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
    }

    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            // The process is gone or going; nothing more to do.
        }
    }
}
