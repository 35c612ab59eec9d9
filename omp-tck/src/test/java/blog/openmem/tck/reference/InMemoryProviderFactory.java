package blog.openmem.tck.reference;

import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;

/** Registered only in omp-tck's test resources, under the id {@code inmemory-test}. */
public class InMemoryProviderFactory implements MemoryProviderFactory {
    @Override
    public String id() {
        return "inmemory-test";
    }

    @Override
    public MemoryProvider create(ProviderConfig config) {
        return new InMemoryProvider();
    }
}
