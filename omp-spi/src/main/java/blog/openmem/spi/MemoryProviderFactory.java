package blog.openmem.spi;

import java.util.Set;

/**
 * Creates a {@link MemoryProvider}. Registered in
 * {@code META-INF/services/blog.openmem.spi.MemoryProviderFactory}; found by
 * {@link java.util.ServiceLoader}, selected by {@link #id()} and only then instantiated.
 */
public interface MemoryProviderFactory {

    /** @return the short id that selects this provider, e.g. {@code postgres} */
    String id();

    /** @return other ids or URL schemes that select it, e.g. {@code postgresql} */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * @return setting keys that are secrets: accepted only from the settings map or the
     *     environment, never from system properties, and redacted in every {@code toString()}
     */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /**
     * Environment variables a setting may also come from, with less precedence than
     * {@code OMP_<ID>_<KEY>}: the vendor's own conventions ({@code api_key} from
     * {@code MEM0_API_KEY}), so that neither the client nor the server names vendors.
     *
     * @return setting key to environment variable
     */
    default java.util.Map<String, String> environmentAliases() {
        return java.util.Map.of();
    }

    /**
     * The flags this provider adds to {@code omp-server} (its URL, its data directory, ...), so that the
     * server names no provider. Default: none.
     *
     * @return the flags
     */
    default java.util.List<ServerFlag> serverFlags() {
        return java.util.List.of();
    }

    /**
     * Settings the server gives this provider unless the configuration sets them: what a server needs
     * that a library default does not (a database pool that fails fast under an outage). Default: none.
     *
     * @return setting key to value
     */
    default java.util.Map<String, String> serverDefaults() {
        return java.util.Map.of();
    }

    /**
     * @param config the resolved configuration
     * @return a ready provider
     * @throws blog.openmem.spi.error.ConfigurationException for missing or bad settings
     */
    MemoryProvider create(ProviderConfig config);
}
