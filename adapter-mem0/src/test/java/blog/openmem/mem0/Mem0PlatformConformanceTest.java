package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.sim.SimulatedConformance;

/** The whole TCK, unchanged, on Mem0's hosted platform API (simulated, checked against its OpenAPI file). */
class Mem0PlatformConformanceTest extends SimulatedConformance<Mem0PlatformSim> {
    @Override
    protected Mem0PlatformSim startSimulator() {
        return (Mem0PlatformSim) new Mem0PlatformSim().start();
    }

    @Override
    protected Memory client(Mem0PlatformSim sim) {
        return Memory.builder().config("mem0").setting("base_url", sim.url())
                .setting("api_key", Mem0PlatformSim.API_KEY).build();
    }
}
