package blog.openmem.server;

import blog.openmem.core.registry.ConfigString;
import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ServerFlag;
import blog.openmem.spi.error.ConfigurationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: flag &gt; environment &gt; default (CONTRACT §10). Besides its own
 * flags the server takes those each provider on the class path declares
 * ({@link MemoryProviderFactory#serverFlags()}: postgres's {@code --url} and {@code --data-dir},
 * passthrough's {@code --base-url}), so it names no provider.
 *
 * @param provider        config string of the provider ({@code postgres} = embedded by default)
 * @param host            bind address
 * @param port            port (0 = any free port)
 * @param maxRequestBytes body limit, 1 KiB..100 MiB
 * @param corsOrigins     allowed CORS origins; empty = CORS off
 * @param logLevel        error, warn, info or debug
 * @param apiKeysFile     API keys file, or null (server runs open)
 * @param embedder        embedder id, or null for the best available
 * @param providerSettings settings for the provider from its declared flags
 * @param bodyTimeoutMs   how long a request's body may take to arrive, in milliseconds
 */
public record ServerConfig(String provider, String host, int port, long maxRequestBytes, List<String> corsOrigins,
                           String logLevel, Path apiKeysFile, String embedder, Map<String, String> providerSettings,
                           long bodyTimeoutMs) {

    /** The server's own flags. */
    private static final List<String> OWN = List.of("provider", "host", "port", "max-request-bytes", "cors-origins",
            "log-level", "api-keys-file", "embedder", "body-timeout-ms", "help");

    /** @return the {@code --help} text, with the flags of the providers on the class path */
    static String help() {
        List<String> providerLines = new ArrayList<>();
        List<String> keyVariables = new ArrayList<>();
        for (MemoryProviderFactory f : ProviderRegistry.getDefault().providers().all()) {
            f.environmentAliases().forEach((setting, variable) -> {
                if (f.secretKeys().contains(setting)) {
                    keyVariables.add(variable);
                }
            });
            for (ServerFlag flag : f.serverFlags()) {
                String head = String.format(Locale.ROOT, "  --%-20s %s", flag.flag() + " V", flag.help());
                providerLines.add(head + " ".repeat(Math.max(1, 100 - head.length() - flag.environment().length() - 2))
                        + "[" + flag.environment() + "]");
            }
        }
        return String.join("\n",
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
            "  --api-keys-file F      API keys (JSON, see README); without it the server runs open [OMP_API_KEYS_FILE]",
            "  --embedder E           embedder: hash, openai, minilm (default: best available)      [OMP_EMBEDDER]",
            "  --body-timeout-ms N    time a request body may take to arrive, 100..600000 (default 30000);",
            "                         slower uploads are cut                                [OMP_BODY_TIMEOUT_MS]",
            "  --help                 this text",
            "",
            "Flags of the providers on the class path:")
            + "\n" + String.join("\n", providerLines) + "\n\n"
            + (keyVariables.isEmpty() ? "" : "Vendor keys come only from the environment: "
                    + String.join(", ", keyVariables) + ".\n")
            + "Provider settings also come from OMP_<PROVIDER>_<KEY> variables (see docs/configuration.md).";
    }

    /**
     * @param args the command line
     * @param env  the environment
     * @return the configuration
     * @throws ConfigurationException naming the bad flag or variable
     */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        ProviderRegistry registry = ProviderRegistry.getDefault();
        // flag -> (provider id, flag), in the registry's order
        Map<String, Map.Entry<String, ServerFlag>> declared = new LinkedHashMap<>();
        for (MemoryProviderFactory f : registry.providers().all()) {
            for (ServerFlag flag : f.serverFlags()) {
                declared.putIfAbsent(flag.flag(), Map.entry(f.id(), flag));
            }
        }
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
            if (!OWN.contains(name) && !declared.containsKey(name)) {
                throw new ConfigurationException("unknown flag --" + name + " (see --help)");
            }
            flags.put(name, value);
        }
        String provider = pick(flags, env, "provider", "OMP_PROVIDER", null);
        // A provider's target flag (a URL) gives its config string: it selects that provider when no
        // --provider is given, and completes --provider when it names that provider.
        Map<String, Map<String, String>> settingsOf = new LinkedHashMap<>();
        for (Map.Entry<String, Map.Entry<String, ServerFlag>> d : declared.entrySet()) {
            String owner = d.getValue().getKey();
            ServerFlag flag = d.getValue().getValue();
            String v = pick(flags, env, flag.flag(), flag.environment(), null);
            if (v == null) {
                continue;
            }
            if (!flag.setting().equals(ServerFlag.TARGET)) {
                settingsOf.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(flag.setting(), v);
            } else if (provider == null || provider.equals(owner)) {
                provider = v;
            }
        }
        if (provider == null) {
            provider = "postgres"; // the zero set-up default: PostgreSQL embedded in the jar
        }
        Map<String, String> settings = new LinkedHashMap<>(settingsOf.getOrDefault(providerId(registry, provider),
                Map.of()));
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
        String keys = pick(flags, env, "api-keys-file", "OMP_API_KEYS_FILE", null);
        // Vendor keys (MEM0_API_KEY, ...) are read by each provider's factory (environmentAliases),
        // so the server names no vendor.
        return new ServerConfig(provider, pick(flags, env, "host", "OMP_HOST", "127.0.0.1"), port, max, origins,
                level, keys == null ? null : Path.of(keys), pick(flags, env, "embedder", "OMP_EMBEDDER", null),
                Map.copyOf(settings), bodyTimeout);
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

    /** @return the provider's id, for the start line */
    String providerName() {
        return providerId(ProviderRegistry.getDefault(), provider);
    }

    /** @return the id of the provider a config string selects (its scheme, resolved through aliases) */
    private static String providerId(ProviderRegistry registry, String config) {
        String id = ConfigString.parse(config).providerId();
        try {
            return registry.providers().find(id).id();
        } catch (ConfigurationException unknown) {
            return id; // said when the server starts, with the providers there are
        }
    }
}
