package blog.openmem.mem0;

import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.LeakCheck;
import blog.openmem.sim.Mem0PlatformSim;
import blog.openmem.spi.error.OmpException;
import org.junit.jupiter.api.Test;

/** The Mem0 key never appears in logs, exception messages or {@code toString()}, whatever Mem0 answers. */
class Mem0SecretsTest {
    @Test
    void theKeyNeverLeaks() {
        String key = Mem0PlatformSim.API_KEY;
        LeakCheck leaks = LeakCheck.watching(key);
        try (leaks; Mem0PlatformSim sim = (Mem0PlatformSim) new Mem0PlatformSim().start();
             Memory m = sim.client("mem0", key)) {
            m.add("u", "fine");
            // Mem0 echoing the key in its error bodies, on a retried call and on a refused one.
            sim.inject(Fault.status(503, "{\"detail\":\"key Token " + key + " overloaded\"}"),
                    Fault.status(503, "{\"detail\":\"key " + key + "\"}"),
                    Fault.status(503, "{\"detail\":\"key " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.list("u")));
            sim.inject(Fault.status(401, "{\"detail\":\"Invalid API key " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.search("u", "x")));
            leaks.shown(m);
            leaks.shown(m.capabilities());
            sim.assertClean();
        }
        leaks.failure(assertThrows(OmpException.class, () -> Memory.builder().config("mem0").setting("base_url",
                "https://user:" + key + "@api.example.com").setting("api_key", "x").build().list("u")));
        leaks.assertNothingLeaked();
    }
}
