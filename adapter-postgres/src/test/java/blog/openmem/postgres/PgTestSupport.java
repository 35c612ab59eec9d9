package blog.openmem.postgres;

import java.nio.file.Path;

/** Where the tests find their databases. */
final class PgTestSupport {
    private PgTestSupport() {
    }

    /**
     * PostgreSQL 15 with pgvector on this machine: {@code OMP_TEST_POSTGRES_URL}, set by
     * {@code scripts/setup-postgres.sh}'s callers; the default is the database that script creates.
     */
    static String url() {
        String env = System.getenv("OMP_TEST_POSTGRES_URL");
        return env != null && !env.isBlank() ? env : "postgres://postgres@127.0.0.1:5432/omp_test";
    }

    /** One embedded data directory per test JVM, under target/ so a clean build removes it. */
    static Path embeddedDir(String name) {
        return Path.of("target", "embedded-pg", name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
    }
}
