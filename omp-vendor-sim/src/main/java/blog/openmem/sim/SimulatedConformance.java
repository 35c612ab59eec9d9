package blog.openmem.sim;

import blog.openmem.core.Memory;
import blog.openmem.tck.MemoryProviderContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK on a simulator: the class fails if any request or answer broke the vendor's OpenAPI file.
 *
 * @param <S> the simulator
 */
public abstract class SimulatedConformance<S extends VendorSim> extends MemoryProviderContract {
    private S sim;

    /** @return a started simulator */
    protected abstract S startSimulator();

    /**
     * @param sim the started simulator
     * @return the client under test, on it
     */
    protected abstract Memory client(S sim);

    @Override
    protected final Memory createMemory() {
        sim = startSimulator();
        return client(sim);
    }

    @AfterAll
    protected void noOpenApiViolations() {
        if (sim == null) {
            return; // the simulator did not start: that failure is already reported
        }
        try {
            sim.assertClean();
        } finally {
            sim.close();
        }
    }
}
