package blog.openmem.mem0;

import blog.openmem.core.Memory;
import blog.openmem.sim.Mem0OssSim;
import blog.openmem.sim.SimulatedConformance;

/** The whole TCK, unchanged, on Mem0's self-hosted REST server (simulated, checked against its derived OpenAPI file). */
class Mem0OssConformanceTest extends SimulatedConformance<Mem0OssSim> {
    @Override
    protected Mem0OssSim startSimulator() {
        return (Mem0OssSim) new Mem0OssSim().start();
    }

    @Override
    protected Memory client(Mem0OssSim sim) {
        return Memory.builder().config("mem0-oss://" + sim.url().substring("http://".length()))
                .setting("api_key", Mem0OssSim.API_KEY).build();
    }
}
