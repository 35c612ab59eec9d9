package blog.openmem.core.registry;

import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.embed.EmbedderFactory;
import java.util.Map;

/**
 * The providers and embedders found on the class path. {@link #load(ClassLoader)} discovers
 * factories only; a provider is created when a client asks for it.
 */
public final class ProviderRegistry {
    /** Ids this project ships, with the artifact to add when the jar is missing. */
    static final Map<String, String> KNOWN_PROVIDERS = Map.of(
            "postgres", "blog.openmem:adapter-postgres",
            "postgresql", "blog.openmem:adapter-postgres",
            "mem0", "blog.openmem:adapter-mem0",
            "supermemory", "blog.openmem:adapter-supermemory",
            "letta", "blog.openmem:adapter-letta",
            "passthrough", "blog.openmem:adapter-passthrough");
    static final Map<String, String> KNOWN_EMBEDDERS = Map.of(
            "minilm", "blog.openmem:embedder-minilm");

    private static volatile ProviderRegistry defaultRegistry;

    private final ServiceIndex<MemoryProviderFactory> providers;
    private final ServiceIndex<EmbedderFactory> embedders;

    private ProviderRegistry(ClassLoader loader) {
        this.providers = new ServiceIndex<>(MemoryProviderFactory.class, loader, MemoryProviderFactory::id,
                MemoryProviderFactory::aliases, "provider", KNOWN_PROVIDERS);
        this.embedders = new ServiceIndex<>(EmbedderFactory.class, loader, EmbedderFactory::id,
                f -> java.util.Set.of(), "embedder", KNOWN_EMBEDDERS);
    }

    /**
     * @param loader the class loader to search first (then the SPI's own)
     * @return a registry of what that loader sees
     */
    public static ProviderRegistry load(ClassLoader loader) {
        return new ProviderRegistry(loader);
    }

    /** @return the registry of the thread context class loader, discovered once */
    public static ProviderRegistry getDefault() {
        ProviderRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (ProviderRegistry.class) {
                r = defaultRegistry;
                if (r == null) {
                    r = new ProviderRegistry(Thread.currentThread().getContextClassLoader());
                    defaultRegistry = r;
                }
            }
        }
        return r;
    }

    /** @return the provider factories */
    public ServiceIndex<MemoryProviderFactory> providers() {
        return providers;
    }

    /** @return the embedder factories */
    public ServiceIndex<EmbedderFactory> embedders() {
        return embedders;
    }
}
