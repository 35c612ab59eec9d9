package blog.openmem.spi;

import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The resolved configuration handed to a factory: the target from the config string, settings
 * (map &gt; system property {@code omp.<id>.<key>} &gt; environment {@code OMP_<ID>_<KEY>}), secrets
 * (map or environment only) and the embedder the client selected. {@code toString()} never
 * shows a secret or a password.
 */
public final class ProviderConfig {
    private final String id;
    private final String target;
    private final Map<String, String> settings;
    private final Map<String, String> secrets;
    private final Supplier<Embedder> embedder;

    /**
     * @param id       the provider (or embedder) id
     * @param target   the target from the config string (URL), or null
     * @param settings non-secret settings, by key
     * @param secrets  secret settings, by key
     * @param embedder supplies the selected embedder on first use; may be null
     */
    public ProviderConfig(String id, String target, Map<String, String> settings, Map<String, String> secrets,
                          Supplier<Embedder> embedder) {
        this.id = id;
        this.target = target;
        this.settings = Collections.unmodifiableMap(new TreeMap<>(settings == null ? Map.of() : settings));
        this.secrets = Collections.unmodifiableMap(new TreeMap<>(secrets == null ? Map.of() : secrets));
        this.embedder = embedder;
    }

    /**
     * @param id       the id
     * @param settings settings
     * @return a config without target, secrets or embedder (tests, simple factories)
     */
    public static ProviderConfig of(String id, Map<String, String> settings) {
        return new ProviderConfig(id, null, settings, Map.of(), null);
    }

    /** @return the provider id */
    public String id() {
        return id;
    }

    /** @return the target of the config string (e.g. a JDBC or HTTP URL), if any */
    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** @return all non-secret settings */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * @param key a setting key
     * @return its value
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(settings.get(key));
    }

    /**
     * @param key a setting key
     * @param def the default
     * @return its value or the default
     */
    public String get(String key, String def) {
        return settings.getOrDefault(key, def);
    }

    /**
     * @param key a setting key
     * @param def the default
     * @return the integer value or the default
     * @throws ConfigurationException naming the key when not an integer
     */
    public int getInt(String key, int def) {
        String v = settings.get(key);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(id + "." + key + ": must be an integer, was '" + v + "'");
        }
    }

    /**
     * @param key a setting key
     * @param def the default
     * @return the boolean value or the default
     * @throws ConfigurationException naming the key when not true/false
     */
    public boolean getBoolean(String key, boolean def) {
        String v = settings.get(key);
        if (v == null) {
            return def;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigurationException(id + "." + key + ": must be true or false, was '" + v + "'");
        };
    }

    /**
     * Durations as ISO-8601 ({@code PT5S}) or a number with a unit: {@code 250ms}, {@code 5s},
     * {@code 2m}.
     *
     * @param key a setting key
     * @param def the default
     * @return the duration or the default
     * @throws ConfigurationException naming the key when malformed
     */
    public Duration getDuration(String key, Duration def) {
        String v = settings.get(key);
        if (v == null) {
            return def;
        }
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigurationException(id + "." + key + ": must be a duration like 500ms, 5s or PT5S, was '"
                    + v + "'");
        }
    }

    /**
     * @param key a secret key
     * @return the secret, if given in the map or the environment
     */
    public Optional<String> secret(String key) {
        return Optional.ofNullable(secrets.get(key));
    }

    /**
     * @return the embedder the client selected (setting {@code embedder}, else the best on the
     *     classpath)
     * @throws ConfigurationException when none is available
     */
    public Embedder embedder() {
        if (embedder == null) {
            throw new ConfigurationException(id + ": no embedder is available");
        }
        return embedder.get();
    }

    /** @return the id, the redacted target and the setting keys, never a secret */
    @Override
    public String toString() {
        return "ProviderConfig{id=" + id + (target != null ? ", target=" + Redaction.url(target) : "")
                + ", settings=" + settings + ", secrets=" + secrets.keySet() + "}";
    }
}
