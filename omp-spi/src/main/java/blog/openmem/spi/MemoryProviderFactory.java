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
     * @param config the resolved configuration
     * @return a ready provider
     * @throws blog.openmem.spi.error.ConfigurationException for missing or bad settings
     */
    MemoryProvider create(ProviderConfig config);
}
