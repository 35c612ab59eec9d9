package blog.openmem.tck;

/** The suite on the reference provider, found through ServiceLoader by a config string. */
class InMemoryConformanceTest extends MemoryProviderContract {
    @Override
    protected blog.openmem.core.Memory createMemory() {
        return blog.openmem.core.Memory.create("inmemory-test");
    }
}
