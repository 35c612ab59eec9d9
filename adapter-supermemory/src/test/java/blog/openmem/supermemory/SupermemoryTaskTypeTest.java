package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which task type keeps the user's text as written, and where a user's documents go. */
class SupermemoryTaskTypeTest {
    private static Memory client(SupermemoryV5Sim sim, String taskType) {
        return Memory.builder().config("supermemory").setting("base_url", sim.url())
                .setting("api_key", SupermemoryV5Sim.API_KEY).setting("task_type", taskType)
                .setting("wait_for_ingestion", "true").build();
    }

    @Test
    void theDefaultKeepsTheTextVerbatimAndSearchableEvenAcrossChunks() {
        try (SupermemoryV5Sim sim = (SupermemoryV5Sim) new SupermemoryV5Sim().start();
             Memory m = Memory.builder().config("supermemory").setting("base_url", sim.url())
                     .setting("api_key", SupermemoryV5Sim.API_KEY).setting("wait_for_ingestion", "true").build()) {
            String shortText = "Prefers  window seats, NOT aisle!  \u00e9t\u00e9 \ud83d\ude00";
            String longText = "zebra crossing notes. " + "x".repeat(SupermemoryV5Sim.CHUNK * 2) + " the end";
            blog.openmem.spi.model.Memory a = m.add(MemoryInput.of("user/\u00e9", shortText));
            blog.openmem.spi.model.Memory b = m.add(MemoryInput.of("user/\u00e9", longText));
            assertEquals(MemoryStatus.DONE, a.status());
            assertEquals(shortText, m.get(a.id(), "user/\u00e9").content());
            List<SearchResult> r = m.search(SearchQuery.builder("user/\u00e9", "window seats").build());
            assertEquals(shortText, r.get(0).memory().content(), "the hit is the text as written");
            List<SearchResult> z = m.search(SearchQuery.builder("user/\u00e9", "zebra crossing").build());
            assertEquals(b.id(), z.get(0).memory().id(), "a chunk hit maps back to its document");
            assertEquals(longText, z.get(0).memory().content(), "the whole text, not the chunk");
            assertEquals(java.util.Set.of(Namespaces.of("user/\u00e9")), sim.namespaceNames());
            sim.assertClean();
        }
    }

    @Test
    void memoryTaskTypeSearchesExtractedMemoriesMappedToTheirDocument() {
        try (SupermemoryV5Sim sim = (SupermemoryV5Sim) new SupermemoryV5Sim().start();
             Memory m = client(sim, "memory")) {
            blog.openmem.spi.model.Memory a = m.add(MemoryInput.of("u1", "Allergic to peanuts"));
            List<SearchResult> r = m.search(SearchQuery.builder("u1", "peanuts").build());
            assertEquals(1, r.size());
            assertEquals(a.id(), r.get(0).memory().id());
            assertTrue(r.get(0).score() > 0);
            sim.assertClean();
        }
    }
}
