package blog.openmem.postgres;

import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderUnavailableException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The {@code postgres} provider (aliases {@code postgresql}, {@code pg}). Config string
 * {@code postgres://user@host:5432/db} (or the setting {@code url} / {@code OMP_POSTGRES_URL});
 * plain {@code postgres} with no URL starts an embedded PostgreSQL in {@code data_dir}
 * (default {@code ~/.omp/pgdata}). Secret: {@code password} ({@code OMP_POSTGRES_PASSWORD}).
 */
public final class PostgresProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "postgres";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("postgresql", "pg");
    }

    @Override
    public java.util.List<blog.openmem.spi.ServerFlag> serverFlags() {
        return java.util.List.of(
                new blog.openmem.spi.ServerFlag("url", "OMP_POSTGRES_URL", blog.openmem.spi.ServerFlag.TARGET,
                        "PostgreSQL URL, e.g. postgres://omp@db:5432/omp"),
                new blog.openmem.spi.ServerFlag("data-dir", "OMP_DATA_DIR", "data_dir",
                        "embedded PostgreSQL data directory (default ~/.omp/pgdata)"));
    }

    /** A request must fail fast when the database is down: 503 within the 2 s the contract allows. */
    @Override
    public java.util.Map<String, String> serverDefaults() {
        return java.util.Map.of("pool_timeout", "1s");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("password");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        PostgresSettings s = PostgresSettings.from(config);
        EmbeddedServer embedded = s.jdbcUrl() == null ? EmbeddedServer.start(s.dataDir()) : null;
        String url = embedded != null ? embedded.jdbcUrl() : s.jdbcUrl();
        Embedder embedder = config.embedder();
        String user = embedded != null ? "postgres" : s.user();
        HikariDataSource ds = null;
        try {
            // The schema is migrated on one plain connection, so that the pool opens once, with the
            // session settings the store's mode needs; a server that cannot be reached now is left to
            // the pool's own wait and message.
            Schema.State state = null;
            try (Connection c = ConnectionCheck.open(url, user, s.password(), s.connectTimeout())) {
                if (c != null) {
                    state = migrate(c, s, embedder);
                }
            }
            ds = new HikariDataSource(hikari(s, url, user, state != null && state.pgvector()));
            if (state == null) {
                try (Connection c = ds.getConnection()) {
                    state = migrate(c, s, embedder);
                }
                if (state.pgvector()) {
                    ds.close();
                    ds = new HikariDataSource(hikari(s, url, user, true));
                }
            }
            return new PostgresProvider(ds, embedded, embedder, state, s);
        } catch (SQLException | RuntimeException e) {
            if (ds != null) {
                ds.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            if (e instanceof SQLException sql) {
                throw new ProviderUnavailableException("postgres: cannot open the store at "
                        + blog.openmem.spi.Redaction.url(url) + " (SQLSTATE " + sql.getSQLState() + ")",
                        new ErrorDetails("postgres", null, null, e));
            }
            if (e.getCause() instanceof SQLException sql && !(e instanceof blog.openmem.spi.error.OmpException)) {
                throw new ProviderUnavailableException("postgres: cannot connect to "
                        + blog.openmem.spi.Redaction.url(url) + " (SQLSTATE " + sql.getSQLState() + ")",
                        new ErrorDetails("postgres", null, null, e));
            }
            throw (RuntimeException) e;
        }
    }

    private static Schema.State migrate(Connection c, PostgresSettings s, Embedder embedder) throws SQLException {
        Schema.State state = Schema.migrate(c, s.vectorMode());
        if (state.pgvector()) {
            Schema.ensureAnnIndex(c, embedder.modelName(), embedder.dimension());
        }
        return state;
    }

    /** @param pgvector the store's mode: generic plans and the per-session HNSW settings (they need the extension) */
    private static HikariConfig hikari(PostgresSettings s, String url, String user, boolean pgvector) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("omp-postgres");
        hc.setJdbcUrl(url);
        if (user != null) {
            hc.setUsername(user);
        }
        if (s.password() != null) {
            hc.setPassword(s.password());
        }
        hc.setMaximumPoolSize(s.poolSize());
        // A fixed-size pool (HikariCP's advice): opening connections during a burst, with the CPU busy,
        // took longer than the pool timeout and turned the first seconds of a load into 503s.
        hc.setMinimumIdle(s.poolSize());
        hc.setConnectionTimeout(s.poolTimeout().toMillis());
        hc.setValidationTimeout(Math.min(1000, s.poolTimeout().toMillis()));
        hc.setInitializationFailTimeout(s.poolTimeout().toMillis());
        hc.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, s.connectTimeout().toSeconds())));
        hc.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, s.socketTimeout().toSeconds())));
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "openmem-java");
        // pgvector mode, force_generic_plan: pgjdbc server-prepares statements run 5 times on a
        // connection, and their generic plans are then reused instead of planning every call (a typical
        // user's search spent as long planning as executing); large users' searches switch to per-call
        // plans (the provider). Exact mode plans every call: its search hands the statement the
        // similarities as arrays, and the reused plan was slower there (LoCoMo p50 14.3-14.6 vs 11.8-13.4 ms).
        // jit=off: the large-user search is estimated expensive enough to be JIT-compiled, which cost
        // ~50 ms per call for a ~30 ms query; these are short OLTP statements.
        hc.addDataSourceProperty("options", "-c statement_timeout=" + s.statementTimeout().toMillis()
                + " -c synchronous_commit=off -c plan_cache_mode=" + (pgvector ? "force_generic_plan" : "force_custom_plan") + " -c jit=off");
        if (pgvector) {
            hc.setConnectionInitSql("SET hnsw.iterative_scan = relaxed_order; SET hnsw.ef_search = " + s.efSearch());
        }
        return hc;
    }
}
