package blog.openmem.core;

import blog.openmem.core.context.ContextAssembler;
import blog.openmem.core.context.ContextRenderer;
import blog.openmem.core.context.TokenCounter;
import blog.openmem.core.registry.ConfigResolver;
import blog.openmem.core.registry.ConfigString;
import blog.openmem.core.registry.EmbedderSelector;
import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/** Configures a {@link Memory}. */
public final class MemoryBuilder {
    private String config;
    private MemoryProvider provider;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> embedderSettings = new LinkedHashMap<>();
    private String embedder;
    private ProviderRegistry registry;
    private ClassLoader classLoader;
    private Map<String, String> environment;
    private Properties systemProperties;
    private String tokenizer;
    private TokenCounter tokenCounter;
    private ContextRenderer renderer = ContextRenderer.lines();
    private String app;

    MemoryBuilder() {
    }

    /** @param v the config string; without one, {@code OMP_PROVIDER} is read @return this */
    public MemoryBuilder config(String v) { this.config = v; return this; }

    /** @param v a provider instance to wrap instead of discovering one @return this */
    public MemoryBuilder provider(MemoryProvider v) { this.provider = v; return this; }

    /**
     * @param key   a provider setting (may be a secret such as {@code api_key})
     * @param value its value
     * @return this
     */
    public MemoryBuilder setting(String key, String value) { settings.put(key, value); return this; }

    /** @param v provider settings @return this */
    public MemoryBuilder settings(Map<String, String> v) { settings.putAll(v); return this; }

    /** @param v the embedder id ({@code hash}, {@code openai}, {@code minilm}) @return this */
    public MemoryBuilder embedder(String v) { this.embedder = v; return this; }

    /**
     * @param key   an embedder setting (e.g. {@code base_url}, {@code api_key})
     * @param value its value
     * @return this
     */
    public MemoryBuilder embedderSetting(String key, String value) { embedderSettings.put(key, value); return this; }

    /** @param v the registry to use (default: discovered once per JVM) @return this */
    public MemoryBuilder registry(ProviderRegistry v) { this.registry = v; return this; }

    /** @param v discover through this class loader (then the SPI's own) @return this */
    public MemoryBuilder classLoader(ClassLoader v) { this.classLoader = v; return this; }

    /** @param v the environment to read instead of {@link System#getenv()} @return this */
    public MemoryBuilder environment(Map<String, String> v) { this.environment = v; return this; }

    /** @param v the system properties to read instead of {@link System#getProperties()} @return this */
    public MemoryBuilder systemProperties(Properties v) { this.systemProperties = v; return this; }

    /** @param v the jtokkit encoding for context blocks (default {@code cl100k_base}) @return this */
    public MemoryBuilder tokenizer(String v) { this.tokenizer = v; return this; }

    /** @param v a custom token counter @return this */
    public MemoryBuilder tokenCounter(TokenCounter v) { this.tokenCounter = v; return this; }

    /** @param v the context layout (default: one {@code - content [id]} line per memory) @return this */
    public MemoryBuilder renderer(ContextRenderer v) { this.renderer = Objects.requireNonNull(v); return this; }

    /** @param v the app name recorded in audit entries @return this */
    public MemoryBuilder app(String v) { this.app = v; return this; }

    /**
     * @return the client; the provider is created now, so bad configuration fails here
     * @throws ConfigurationException naming the problem
     */
    public Memory build() {
        ConfigResolver resolver = new ConfigResolver(
                environment != null ? environment : System.getenv(),
                systemProperties != null ? systemProperties : System.getProperties());
        String encoding = tokenizer != null ? tokenizer : resolver.global("tokenizer").orElse("cl100k_base");
        TokenCounter counter = tokenCounter != null ? tokenCounter : TokenCounter.bpe(encoding);
        ContextAssembler assembler = new ContextAssembler(counter, renderer);
        List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();
        if (provider != null) {
            owned.add(provider);
            String id = Optional.ofNullable(provider.capabilities().provider()).orElse("custom");
            return new Memory(new GuardedProvider(provider, id, assembler, owned), Caller.of(app), false);
        }
        String cfg = config != null ? config : resolver.global("provider").orElseThrow(() ->
                new ConfigurationException("no provider configured: set OMP_PROVIDER (e.g. 'postgres://localhost/omp',"
                        + " 'mem0', 'http://localhost:8080') or pass a config string"));
        ProviderRegistry reg = registry != null ? registry
                : classLoader != null ? ProviderRegistry.load(classLoader) : ProviderRegistry.getDefault();
        ConfigString cs = ConfigString.parse(cfg);
        MemoryProviderFactory factory = reg.providers().find(cs.providerId());
        ConfigResolver.Resolved r = resolver.resolve(factory.id(), factory.secretKeys(), factory.environmentAliases(), settings);
        String embedderId = embedder != null ? embedder
                : Optional.ofNullable(r.settings().get("embedder")).or(() -> resolver.global("embedder")).orElse(null);
        Supplier<Embedder> embedders = new Supplier<>() {
            private Embedder created;

            @Override
            public synchronized Embedder get() {
                if (created == null) {
                    created = EmbedderSelector.select(reg, resolver, embedderId, embedderSettings);
                    owned.add(created);
                }
                return created;
            }
        };
        MemoryProvider p = factory.create(new ProviderConfig(factory.id(), cs.target(), r.settings(), r.secrets(),
                embedders));
        owned.add(0, p);
        return new Memory(new GuardedProvider(p, factory.id(), assembler, owned), Caller.of(app), false);
    }
}
