package blog.openmem.server;

import blog.openmem.spi.error.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: flag &gt; environment &gt; default (CONTRACT §10).
 *
 * @param provider        config string of the provider ({@code postgres} = embedded by default)
 * @param host            bind address
 * @param port            port (0 = any free port)
 * @param maxRequestBytes body limit, 1 KiB..100 MiB
 * @param corsOrigins     allowed CORS origins; empty = CORS off
 * @param logLevel        error, warn, info or debug
 * @param postgresUrl     PostgreSQL URL, or null
 * @param baseUrl         passthrough base URL, or null
 * @param dataDir         embedded PostgreSQL data directory, or null for the default
 * @param apiKeysFile     API keys file, or null (server runs open)
 * @param embedder        embedder id, or null for the best available
 * @param providerSettings extra provider settings (vendor keys from the environment)
 * @param bodyTimeoutMs   how long a request's body may take to arrive, in milliseconds
 */
public record ServerConfig(String provider, String host, int port, long maxRequestBytes, List<String> corsOrigins,
                           String logLevel, String postgresUrl, String baseUrl, Path dataDir, Path apiKeysFile,
                           String embedder, Map<String, String> providerSettings, long bodyTimeoutMs) {

    static final String HELP = String.join("\n",
            "usage: java -jar omp-server.jar [flags]",
            "       java -jar omp-server.jar hash-key        (reads an API key on stdin, prints its key_sha256)",
            "       java -jar omp-server.jar reembed [flags] (re-embeds, with --embedder's model, every memory stored",
            "                                                 with another one; resumable; same flags as the server)",
            "       java -jar omp-server.jar export|import|migrate ... (moves memories between providers; see",
            "                                                 'migrate --help')",
            "",
            "Serves the Open Memory Protocol (OMP 0.1) over HTTP. Flags win over environment variables.",
            "",
            "  --provider S           provider config string: postgres (embedded, the default), postgres://...,",
            "                         http(s)://... (another OMP server), mem0, supermemory, letta   [OMP_PROVIDER]",
            "  --host H               bind address (default 127.0.0.1)                                 [OMP_HOST]",
            "  --port N               port (default 8080; 0 = any free port)                           [OMP_PORT]",
            "  --max-request-bytes N  body limit, 1024..104857600 (default 1048576)        [OMP_MAX_REQUEST_BYTES]",
            "  --cors-origins A,B     allowed CORS origins (default: CORS off)                  [OMP_CORS_ORIGINS]",
            "  --log-level L          error, warn, info or debug (default info)                    [OMP_LOG_LEVEL]",
            "  --url U                PostgreSQL URL, e.g. postgres://omp@db:5432/omp           [OMP_POSTGRES_URL]",
            "  --base-url U           base URL of the OMP server behind passthrough     [OMP_PASSTHROUGH_BASE_URL]",
            "  --data-dir D           embedded PostgreSQL data directory (default ~/.omp/pgdata)     [OMP_DATA_DIR]",
            "  --api-keys-file F      API keys (JSON, see README); without it the server runs open [OMP_API_KEYS_FILE]",
            "  --embedder E           embedder: hash, openai, minilm (default: best available)      [OMP_EMBEDDER]",
            "  --body-timeout-ms N    time a request body may take to arrive, 100..600000 (default 30000);",
            "                         slower uploads are cut                                [OMP_BODY_TIMEOUT_MS]",
            "  --help                 this text",
            "",
            "Vendor keys come only from the environment: MEM0_API_KEY, SUPERMEMORY_API_KEY, LETTA_API_KEY.",
            "Provider settings also come from OMP_<PROVIDER>_<KEY> variables (see README).");

    /**
     * @param args the command line
     * @param env  the environment
     * @return the configuration
     * @throws ConfigurationException naming the bad flag or variable
     */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new ConfigurationException("unexpected argument '" + a + "' (see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("help")) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigurationException("--" + name + " needs a value");
            }
            if (!List.of("provider", "host", "port", "max-request-bytes", "cors-origins", "log-level", "url",
                    "base-url", "data-dir", "api-keys-file", "embedder", "body-timeout-ms", "help").contains(name)) {
                throw new ConfigurationException("unknown flag --" + name + " (see --help)");
            }
            flags.put(name, value);
        }
        String provider = pick(flags, env, "provider", "OMP_PROVIDER", null);
        String url = pick(flags, env, "url", "OMP_POSTGRES_URL", null);
        String baseUrl = pick(flags, env, "base-url", "OMP_PASSTHROUGH_BASE_URL", null);
        if (provider == null) {
            provider = url != null ? url : baseUrl != null ? baseUrl : "postgres";
        } else if (provider.equals("postgres") && url != null) {
            provider = url;
        } else if (provider.equals("passthrough") && baseUrl != null) {
            provider = baseUrl;
        }
        int port = integer(pick(flags, env, "port", "OMP_PORT", "8080"), "port", 0, 65535);
        long max = integer(pick(flags, env, "max-request-bytes", "OMP_MAX_REQUEST_BYTES", "1048576"),
                "max-request-bytes", 1024, 100 * 1024 * 1024);
        long bodyTimeout = integer(pick(flags, env, "body-timeout-ms", "OMP_BODY_TIMEOUT_MS", "30000"),
                "body-timeout-ms", 100, 600_000);
        String level = pick(flags, env, "log-level", "OMP_LOG_LEVEL", "info").toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug").contains(level)) {
            throw new ConfigurationException("--log-level: must be error, warn, info or debug, was '" + level + "'");
        }
        List<String> origins = new ArrayList<>();
        String cors = pick(flags, env, "cors-origins", "OMP_CORS_ORIGINS", "");
        for (String o : cors.split(",")) {
            if (!o.isBlank()) {
                if (!o.trim().matches("https?://[A-Za-z0-9.:\\-\\[\\]]+|\\*")) {
                    throw new ConfigurationException("--cors-origins: '" + o.trim() + "' is not an origin like"
                            + " https://app.example.com");
                }
                origins.add(o.trim());
            }
        }
        String dataDir = pick(flags, env, "data-dir", "OMP_DATA_DIR", null);
        String keys = pick(flags, env, "api-keys-file", "OMP_API_KEYS_FILE", null);
        // Vendor keys (MEM0_API_KEY, ...) are read by each provider's factory (environmentAliases),
        // so the server names no vendor.
        Map<String, String> settings = new LinkedHashMap<>();
        return new ServerConfig(provider, pick(flags, env, "host", "OMP_HOST", "127.0.0.1"), port, max, origins,
                level, url, baseUrl, dataDir == null ? null : Path.of(dataDir), keys == null ? null : Path.of(keys),
                pick(flags, env, "embedder", "OMP_EMBEDDER", null), settings, bodyTimeout);
    }

    static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    private static String pick(Map<String, String> flags, Map<String, String> env, String flag, String var, String def) {
        String v = flags.get(flag);
        if (v == null) {
            v = env.get(var);
        }
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static int integer(String v, String name, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new ConfigurationException("--" + name + ": must be between " + min + " and " + max + ", was " + v);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("--" + name + ": must be a whole number, was '" + v + "'");
        }
    }

    /** @return the provider id part, for the start line */
    String providerName() {
        int sep = provider.indexOf("://");
        String scheme = sep > 0 ? provider.substring(0, sep).toLowerCase(Locale.ROOT) : provider.toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "postgresql", "pg" -> "postgres";
            case "http", "https" -> "passthrough";
            default -> scheme;
        };
    }
}
