package blog.openmem.postgres;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.Redaction;
import blog.openmem.spi.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The postgres provider's settings ({@code omp.postgres.<key>} / {@code OMP_POSTGRES_<KEY>}).
 *
 * @param jdbcUrl          JDBC URL, or null for the embedded server
 * @param user             user name, or null
 * @param password         password (secret), or null
 * @param dataDir          embedded data directory
 * @param poolSize         maximum connections (default: twice the cores plus one, 4 to 10)
 * @param poolTimeout      how long a call waits for a connection before {@code provider_unavailable}
 * @param connectTimeout   TCP connect timeout
 * @param statementTimeout server-side statement timeout
 * @param socketTimeout    client-side read timeout (guards against a server that stops answering)
 * @param vectorMode       {@code auto} (pgvector when installed), {@code exact} or {@code hnsw}
 * @param annThreshold     users with at least this many memories are searched through the HNSW index
 * @param exactScanLimit   exact mode: newest memories per user compared by vector
 * @param efSearch         HNSW {@code ef_search}
 * @param largeUserCheckRate share of searches of users not known to be large that count the user's rows
 * @param ann              whether large users are searched through the HNSW index (false: always exact)
 * @param vectorWeight     share of the vector similarity in the fused score (the rest is keyword
 *                         coverage); 1 ranks by vector only, 0 by keywords only
 * @param exactCacheMb     exact mode: memory for decoded vectors kept between searches, in MiB (0: none)
 * @param dateWeight       weight, relative to the vector and keyword shares together, of a memory's
 *                         time falling in a date, month or year the query names; 0 turns it off
 * @param searchCacheMb    memory for typical users' rows kept to rank their searches in-process, in
 *                         MiB (0: every search is ranked in SQL; default an eighth of the heap, at most 512)
 */
record PostgresSettings(String jdbcUrl, String user, String password, Path dataDir, int poolSize,
                        Duration poolTimeout, Duration connectTimeout, Duration statementTimeout,
                        Duration socketTimeout, String vectorMode, int annThreshold, int exactScanLimit,
                        int efSearch, double largeUserCheckRate, boolean ann, double vectorWeight,
                        int exactCacheMb, double dateWeight, int searchCacheMb) {

    static PostgresSettings from(ProviderConfig c) {
        String url = c.target().filter(t -> t.contains("://")).orElseGet(() -> c.get("url").orElse(null));
        String user = c.get("user").orElse(null);
        String password = c.secret("password").orElse(null);
        String jdbc = null;
        if (url != null && !url.isBlank()) {
            ParsedUrl p = parse(url.trim());
            jdbc = p.jdbc();
            user = user != null ? user : p.user();
            password = password != null ? password : p.password();
        }
        String mode = c.get("vector_mode", "auto").toLowerCase(Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("exact") && !mode.equals("hnsw")) {
            throw new ConfigurationException("postgres.vector_mode: must be auto, exact or hnsw, was '" + mode + "'");
        }
        // HikariCP's sizing rule (about twice the cores, plus one): more connections than that only
        // queue inside PostgreSQL. On two cores 5 served 7% more searches than 10 (omp-server's load test).
        int pool = c.getInt("pool_size", Math.max(4, Math.min(10, 2 * Runtime.getRuntime().availableProcessors() + 1)));
        if (pool < 1 || pool > 1000) {
            throw new ConfigurationException("postgres.pool_size: must be between 1 and 1000");
        }
        int exactCacheMb = mebibytes(c, "exact_cache_mb", 32);
        // An eighth of the heap, at most 512 MiB: 6 GiB of heap (a quarter of 24 GiB) gives 512 MiB,
        // ~200 000 memories; a 256 MiB heap gives 32 MiB.
        int searchCacheMb = mebibytes(c, "search_cache_mb",
                (int) Math.min(512, Runtime.getRuntime().maxMemory() / 8 / 1_048_576L));
        Path dataDir = Path.of(c.get("data_dir", Path.of(System.getProperty("user.home"), ".omp", "pgdata").toString()));
        return new PostgresSettings(jdbc, user, password, dataDir, pool,
                atLeast(c.getDuration("pool_timeout", Duration.ofSeconds(2)), Duration.ofMillis(250), "pool_timeout"),
                atLeast(c.getDuration("connect_timeout", Duration.ofSeconds(2)), Duration.ofSeconds(1), "connect_timeout"),
                c.getDuration("statement_timeout", Duration.ofSeconds(15)),
                atLeast(c.getDuration("socket_timeout", Duration.ofSeconds(30)), Duration.ofSeconds(1), "socket_timeout"),
                mode, c.getInt("ann_threshold", 5000), c.getInt("exact_scan_limit", 50_000), c.getInt("ef_search", 400),
                rate("large_user_check_rate", c.get("large_user_check_rate", "0.03125")), c.getBoolean("ann", true),
                rate("vector_weight", c.get("vector_weight", String.valueOf(SearchStatement.VECTOR_WEIGHT))),
                exactCacheMb,
                rate("date_weight", c.get("date_weight", String.valueOf(SearchStatement.DATE_WEIGHT))),
                searchCacheMb);
    }

    private static int mebibytes(ProviderConfig c, String key, int def) {
        int mb = c.getInt(key, def);
        if (mb < 0 || mb > 1_000_000) {
            throw new ConfigurationException("postgres." + key + ": must be between 0 and 1000000");
        }
        return mb;
    }

    private static double rate(String key, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigurationException("postgres." + key + ": must be a number between 0 and 1, was '" + v + "'");
    }

    private static Duration atLeast(Duration d, Duration min, String key) {
        if (d.compareTo(min) < 0) {
            throw new ConfigurationException("postgres." + key + ": must be at least " + min.toMillis() + "ms");
        }
        return d;
    }

    /** A URL split into its JDBC form and credentials. */
    record ParsedUrl(String jdbc, String user, String password) {
    }

    /**
     * Accepts {@code postgres://}, {@code postgresql://} and {@code jdbc:postgresql://} URLs.
     */
    static ParsedUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new ParsedUrl(url, null, null);
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
                throw new ConfigurationException("postgres.url: must start with postgres://, postgresql:// or "
                        + "jdbc:postgresql://, was " + Redaction.url(url));
            }
            if (u.getHost() == null) {
                throw new ConfigurationException("postgres.url: has no host: " + Redaction.url(url));
            }
            String user = null;
            String password = null;
            if (u.getRawUserInfo() != null) {
                String[] ui = u.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
                password = ui.length > 1 ? URLDecoder.decode(ui[1], StandardCharsets.UTF_8) : null;
            }
            String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
            String db = u.getRawPath() == null || u.getRawPath().length() <= 1 ? "postgres" : u.getRawPath().substring(1);
            String jdbc = "jdbc:postgresql://" + host + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + db
                    + (u.getRawQuery() != null ? "?" + u.getRawQuery() : "");
            return new ParsedUrl(jdbc, user, password);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("postgres.url: not a valid URL: " + Redaction.url(url));
        }
    }

    @Override
    public String toString() {
        return "PostgresSettings{url=" + (jdbcUrl == null ? "embedded:" + dataDir : Redaction.url(jdbcUrl)) + ", user="
                + user + ", password=" + (password == null ? "none" : "***") + ", poolSize=" + poolSize
                + ", vectorMode=" + vectorMode + "}";
    }
}
