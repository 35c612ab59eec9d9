package blog.openmem.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import blog.openmem.core.Memory;
import blog.openmem.sim.LettaSim;
import blog.openmem.spi.model.MemoryInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Reading every memory of a user without a list route: passage searches without a query, oldest
 * first, page after page; a page's last microsecond may cut a memory's passages, and that memory is
 * read whole on the next page.
 */
class LettaExportTest {
    @Test
    void everyMemoryIsReadOnceAndWholeAcrossManyPages() {
        try (LettaSim sim = (LettaSim) new LettaSim().start();
             Memory m = Memory.builder().config("letta").setting("base_url", sim.url())
                     .setting("api_key", LettaSim.API_KEY).setting("max_passage_chars", "100").build()) {
            List<blog.openmem.spi.model.Memory> added = new ArrayList<>();
            for (int i = 0; i < 260; i++) {
                // Every seventh memory is three passages, so page ends fall inside memories.
                String text = i % 7 == 0 ? ("part of a long memory " + i + " ").repeat(10) : "memory " + i;
                added.add(m.add(MemoryInput.of("dora", text)));
            }
            m.add(MemoryInput.of("eve", "not dora's"));
            int before = sim.requestCount();
            Map<String, blog.openmem.spi.model.Memory> read = m.exportAll("dora").collect(Collectors.toMap(
                    blog.openmem.spi.model.Memory::id, Function.identity()));
            assertEquals(added.size(), read.size(), "each memory once");
            for (blog.openmem.spi.model.Memory a : added) {
                assertEquals(a.content(), read.get(a.id()).content(), "whole: " + a.id());
                assertEquals(a.createdAt(), read.get(a.id()).createdAt());
            }
            // 260 memories, 38 of them three passages: 336 passages, 100 a page, plus the cut ones again.
            int pages = sim.requestCount() - before;
            assertEquals(true, pages >= 4 && pages <= 6, "pages: " + pages);
            sim.assertClean();
        }
    }
}
