package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.core.Memory;
import blog.openmem.sim.Fault;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.spi.error.OmpException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The Supermemory key never appears in logs, exception messages or {@code toString()}, whatever Supermemory answers. */
class SupermemorySecretsTest {
    @Test
    void theKeyNeverLeaks() {
        List<String> captured = new CopyOnWriteArrayList<>();
        Logger root = Logger.getLogger("blog.openmem");
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        SimpleFormatter fmt = new SimpleFormatter();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                captured.add(fmt.format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        root.addHandler(h);
        List<Throwable> errors = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (SupermemoryV5Sim sim = (SupermemoryV5Sim) new SupermemoryV5Sim().start();
             Memory m = Memory.builder().config("supermemory").setting("base_url", sim.url())
                     .setting("api_key", SupermemorySim.API_KEY).setting("backoff_base", "10ms").build()) {
            m.add("u", "fine");
            // Supermemory echoing the key in its error bodies, on a retried call and on a refused one.
            sim.inject(Fault.status(503, "{\"error\":\"key Bearer " + SupermemorySim.API_KEY + " overloaded\"}"),
                    Fault.status(503, "{\"error\":\"key " + SupermemorySim.API_KEY + "\"}"),
                    Fault.status(503, "{\"error\":\"key " + SupermemorySim.API_KEY + "\"}"));
            errors.add(assertThrows(OmpException.class, () -> m.list("u")));
            sim.inject(Fault.status(401, "{\"error\":\"Invalid API key " + SupermemorySim.API_KEY + "\"}"));
            errors.add(assertThrows(OmpException.class, () -> m.search("u", "x")));
            // The statuses this adapter classifies itself keep the vendor's message out too.
            sim.inject(Fault.status(402, "{\"error\":\"quota of " + SupermemorySim.API_KEY + " exhausted\"}"));
            errors.add(assertThrows(OmpException.class, () -> m.add("u", "more")));
            all.append(m).append(m.capabilities());
            sim.assertClean();
        } finally {
            root.removeHandler(h);
            root.setLevel(before);
        }
        errors.add(assertThrows(OmpException.class, () -> Memory.builder().config("supermemory").setting("base_url",
                "https://user:" + SupermemorySim.API_KEY + "@api.example.com").setting("api_key", "x").build()
                .list("u")));
        for (Throwable t : errors) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            all.append(t).append('\n').append(sw);
        }
        captured.forEach(all::append);
        assertFalse(all.toString().contains(SupermemorySim.API_KEY), () -> "leaked in:\n" + all);
    }
}
