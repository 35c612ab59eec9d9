package blog.openmem.core.testjar;

import blog.openmem.core.StubProvider;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import java.util.Set;

/** Declared only inside jars the discovery test writes, never in test resources. */
public class AlphaFactory implements MemoryProviderFactory {
    public static volatile ProviderConfig lastConfig;

    @Override
    public String id() {
        return "alpha";
    }

    @Override
    public Set<String> aliases() {
        return Set.of("alphadb");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("api_key");
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        lastConfig = config;
        return new StubProvider();
    }
}
