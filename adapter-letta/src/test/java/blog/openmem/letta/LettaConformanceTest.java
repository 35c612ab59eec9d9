package blog.openmem.letta;

import blog.openmem.core.Memory;
import blog.openmem.sim.LettaSim;
import blog.openmem.sim.SimulatedConformance;

/**
 * The whole TCK on the Letta simulator (archives in Letta's own database: scores 0, tags filtered
 * after the limit). The class fails if any request or answer broke Letta's v1 OpenAPI file.
 */
class LettaConformanceTest extends SimulatedConformance<LettaSim> {
    @Override
    protected LettaSim startSimulator() {
        return (LettaSim) new LettaSim().start();
    }

    @Override
    protected Memory client(LettaSim sim) {
        return Memory.builder().config("letta").setting("base_url", sim.url()).setting("api_key", LettaSim.API_KEY)
                .build();
    }
}
