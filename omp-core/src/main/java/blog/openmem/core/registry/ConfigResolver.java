package blog.openmem.core.registry;

import blog.openmem.spi.error.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Resolves the settings of one provider or embedder id, in this order: the explicit map, system
 * properties {@code omp.<id>.<key>}, environment {@code OMP_<ID>_<KEY>}. Secret keys come only
 * from the map or the environment: a secret in a system property is refused, because system
 * properties show up in process listings and diagnostics.
 */
public final class ConfigResolver {
    private final Map<String, String> env;
    private final Properties sysProps;

    /**
     * @param env      the environment
     * @param sysProps the system properties
     */
    public ConfigResolver(Map<String, String> env, Properties sysProps) {
        this.env = env == null ? Map.of() : env;
        this.sysProps = sysProps == null ? new Properties() : sysProps;
    }

    /** @return a resolver over the real environment and system properties */
    public static ConfigResolver system() {
        return new ConfigResolver(System.getenv(), System.getProperties());
    }

    /**
     * The resolved values.
     *
     * @param settings non-secret settings
     * @param secrets  secret settings
     */
    public record Resolved(Map<String, String> settings, Map<String, String> secrets) {
    }

    /**
     * @param id         a provider or embedder id
     * @param secretKeys its secret keys
     * @param explicit   settings given in code (highest precedence; may hold secrets)
     * @return settings and secrets
     * @throws ConfigurationException when a secret is given as a system property
     */
    public Resolved resolve(String id, Set<String> secretKeys, Map<String, String> explicit) {
        return resolve(id, secretKeys, Map.of(), explicit);
    }

    /**
     * @param id         a provider or embedder id
     * @param secretKeys its secret keys
     * @param aliases    setting key to an environment variable of the vendor's own naming
     *                   ({@code api_key} from {@code MEM0_API_KEY}), below {@code OMP_<ID>_<KEY>}
     * @param explicit   settings given in code (highest precedence; may hold secrets)
     * @return settings and secrets
     * @throws ConfigurationException when a secret is given as a system property
     */
    public Resolved resolve(String id, Set<String> secretKeys, Map<String, String> aliases,
                            Map<String, String> explicit) {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        aliases.forEach((key, variable) -> {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                (secretKeys.contains(key) ? secrets : settings).put(key, v);
            }
        });
        String envPrefix = envPrefix(id);
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(envPrefix) && e.getKey().length() > envPrefix.length()) {
                String key = e.getKey().substring(envPrefix.length()).toLowerCase(Locale.ROOT);
                (secretKeys.contains(key) ? secrets : settings).put(key, e.getValue());
            }
        }
        String propPrefix = "omp." + id + ".";
        for (String name : sysProps.stringPropertyNames()) {
            if (name.startsWith(propPrefix) && name.length() > propPrefix.length()) {
                String key = name.substring(propPrefix.length()).toLowerCase(Locale.ROOT);
                if (secretKeys.contains(key)) {
                    throw new ConfigurationException(name + ": secrets may be given only in the environment ("
                            + envPrefix + key.toUpperCase(Locale.ROOT) + ") or the settings map, not as a system property");
                }
                settings.put(key, sysProps.getProperty(name));
            }
        }
        if (explicit != null) {
            explicit.forEach((k, v) -> {
                String key = k.toLowerCase(Locale.ROOT);
                (secretKeys.contains(key) ? secrets : settings).put(key, v);
            });
        }
        return new Resolved(settings, secrets);
    }

    /**
     * A setting shared by all providers: system property {@code omp.<key>}, else environment
     * {@code OMP_<KEY>}.
     *
     * @param key the key, e.g. {@code provider} or {@code embedder}
     * @return its value
     */
    public Optional<String> global(String key) {
        String p = sysProps.getProperty("omp." + key);
        if (p != null && !p.isBlank()) {
            return Optional.of(p.trim());
        }
        String e = env.get("OMP_" + key.toUpperCase(Locale.ROOT));
        return e == null || e.isBlank() ? Optional.empty() : Optional.of(e.trim());
    }

    /**
     * @param id a provider id
     * @return the environment prefix of its settings, e.g. {@code OMP_POSTGRES_}
     */
    public static String envPrefix(String id) {
        return "OMP_" + id.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_";
    }
}
