package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.Memory;
import blog.openmem.sim.SupermemorySim;
import blog.openmem.sim.SupermemoryV4Sim;
import blog.openmem.sim.SupermemoryV5Sim;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which task type keeps the user's text as written, and where a user's documents go, on each API version. */
class SupermemoryTaskTypeTest {
    static Stream<SupermemorySim> simulators() {
        return Stream.of(new SupermemoryV5Sim(), new SupermemoryV4Sim());
    }

    private static Memory client(SupermemorySim sim, String taskType) {
        return Memory.builder().config("supermemory").setting("base_url", sim.url())
                .setting("api_version", sim.apiVersion()).setting("api_key", SupermemorySim.API_KEY)
                .setting("task_type", taskType).setting("wait_for_ingestion", "true").build();
    }

    @ParameterizedTest
    @MethodSource("simulators")
    void theDefaultKeepsTheTextVerbatimAndSearchableEvenAcrossChunks(SupermemorySim simulator) {
        try (SupermemorySim sim = (SupermemorySim) simulator.start();
             Memory m = Memory.builder().config("supermemory").setting("base_url", sim.url())
                     .setting("api_version", sim.apiVersion()).setting("api_key", SupermemorySim.API_KEY)
                     .setting("wait_for_ingestion", "true").build()) {
            String shortText = "Prefers  window seats, NOT aisle!  \u00e9t\u00e9 \ud83d\ude00";
            String longText = "zebra crossing notes. " + "x".repeat(SupermemorySim.CHUNK * 2) + " the end";
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

    @ParameterizedTest
    @MethodSource("simulators")
    void memoryTaskTypeSearchesExtractedMemoriesMappedToTheirDocument(SupermemorySim simulator) {
        try (SupermemorySim sim = (SupermemorySim) simulator.start(); Memory m = client(sim, "memory")) {
            blog.openmem.spi.model.Memory a = m.add(MemoryInput.of("u1", "Allergic to peanuts"));
            List<SearchResult> r = m.search(SearchQuery.builder("u1", "peanuts").build());
            assertEquals(1, r.size());
            assertEquals(a.id(), r.get(0).memory().id());
            assertTrue(r.get(0).score() > 0);
            sim.assertClean();
        }
    }
}
