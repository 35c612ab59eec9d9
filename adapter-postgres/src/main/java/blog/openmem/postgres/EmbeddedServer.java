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
