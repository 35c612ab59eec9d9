package blog.openmem.letta;

import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.LeakCheck;
import blog.openmem.sim.LettaSim;
import blog.openmem.spi.error.OmpException;
import org.junit.jupiter.api.Test;

/** The Letta key never appears in logs, exception messages or {@code toString()}, whatever Letta answers. */
class LettaSecretsTest {
    @Test
    void theKeyNeverLeaks() {
        String key = LettaSim.API_KEY;
        LeakCheck leaks = LeakCheck.watching(key);
        try (leaks; LettaSim sim = (LettaSim) new LettaSim().start();
             Memory m = sim.client("letta", key, "project", "proj-1")) {
            m.add("u", "fine");
            // Letta echoing the key in its error bodies, on a retried call, a locked one and a refused one.
            sim.inject(Fault.status(500, "{\"detail\":\"key Bearer " + key + " failed\"}"),
                    Fault.status(409, "{\"detail\":\"locked for " + key + "\"}"),
                    Fault.status(503, "{\"detail\":\"key " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.search("u", "x")));
            sim.inject(Fault.status(401, "{\"detail\":\"Invalid API key " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.search("u", "x")));
            sim.inject(Fault.status(422, "{\"detail\":\"bad value " + key + "\"}"));
            leaks.failure(assertThrows(OmpException.class, () -> m.add("u", "more")));
            leaks.shown(m);
            leaks.shown(m.capabilities());
            sim.assertClean();
        }
        leaks.failure(assertThrows(OmpException.class, () -> Memory.builder().config("letta")
                .setting("base_url", "https://user:" + key + "@api.example.com").setting("api_key", "x").build()
                .search("u", "x")));
        leaks.assertNothingLeaked();
    }
}
