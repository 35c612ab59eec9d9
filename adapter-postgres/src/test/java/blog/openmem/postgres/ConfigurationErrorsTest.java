package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.spi.error.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that can never work is a configuration error said at once, with what to do — not a
 * retryable outage after the pool's timeout.
 */
class ConfigurationErrorsTest {
    private static String withDatabase(String db) {
        URI u = URI.create(PgTestSupport.url());
        return u.getScheme() + "://" + u.getRawAuthority() + "/" + db;
    }

    private static ConfigurationException refused(String config, long withinMillis) {
        long t0 = System.nanoTime();
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Memory.builder().config(config)
                .embedder("hash").build().close());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < withinMillis, "said at once, not after the pool's timeout: " + ms + " ms");
        assertFalse(e.isRetryable());
        return e;
    }

    @Test
    void aMissingDatabaseIsNamedWithHowToCreateIt() {
        ConfigurationException e = refused(withDatabase("omp_no_such_database"), 1500);
        assertTrue(e.getMessage().contains("database 'omp_no_such_database' does not exist")
                && e.getMessage().contains("CREATE DATABASE") && e.getMessage().contains("3D000"), e.getMessage());
    }

    @Test
    void aMissingRoleIsNamed() {
        URI u = URI.create(PgTestSupport.url());
        String config = u.getScheme() + "://omp_no_such_role@" + u.getHost() + ":" + u.getPort() + u.getPath();
        ConfigurationException e = refused(config, 1500);
        assertTrue(e.getMessage().contains("role 'omp_no_such_role' may not connect") && e.getMessage()
                .contains("28000"), e.getMessage());
    }

    @Test
    void aSecondProcessOnTheSameEmbeddedDataDirectoryIsToldAtOnce(@TempDir Path dir) {
        String data = dir.resolve("pg").toString();
        try (Memory first = Memory.builder().config("postgres").setting("data_dir", data).embedder("hash").build()) {
            first.add("u", "the first holds the directory");
            long t0 = System.nanoTime();
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> Memory.builder()
                    .config("postgres").setting("data_dir", data).embedder("hash").build().close());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "at once");
            assertTrue(e.getMessage().contains("is in use by another process") && e.getMessage().contains("data_dir"),
                    e.getMessage());
        }
    }
}
