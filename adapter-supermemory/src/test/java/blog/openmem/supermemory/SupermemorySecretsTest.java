package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.LeakCheck;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.spi.error.OmpException;
import org.junit.jupiter.api.Test;

/** The Supermemory key never appears in logs, exception messages or {@code toString()}, whatever Supermemory answers. */
class SupermemorySecretsTest {
    @Test
    void theKeyNeverLeaks() {
        String key = SupermemorySim.API_KEY;
        LeakCheck leaks = LeakCheck.watching(key);
        try (leaks; SupermemoryV5Sim sim = (SupermemoryV5Sim) new SupermemoryV5Sim().start();
             Memory m = sim.client("supermemory", key)) {
            m.add("u", "fine");
            // Supermemory echoing the key in its error bodies, on a retried call and on a refused one.
            sim.inject(Fault.status(503, "{\"error\":\"key Bearer " + key + " overloaded\"}"),
                    Fault.status(503, "{\"error\":\"key " + key + "\"}"), Fault.status(503, "{\"error\":\"key " + key
                            + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.list("u")));
            sim.inject(Fault.status(401, "{\"error\":\"Invalid API key " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.search("u", "x")));
            // The statuses this adapter classifies itself keep the vendor's message out too.
            sim.inject(Fault.status(402, "{\"error\":\"quota of " + key + " exhausted\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.add("u", "more")));
            leaks.shown(m);
            leaks.shown(m.capabilities());
            sim.assertClean();
        }
        leaks.failure(assertThrows(OmpException.class, () -> Memory.builder().config("supermemory")
                .setting("base_url", "https://user:" + key + "@api.example.com").setting("api_key", "x").build()
                .list("u")));
        leaks.assertNothingLeaked();
    }
}
