package blog.openmem.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import blog.openmem.core.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Exact mode's vector cache: a row's vector is served only at the row version it was read at. */
class VectorCacheTest {
    @Test
    void servesAVectorOnlyAtItsVersionAndStartsOverWhenFull() {
        VectorCache cache = new VectorCache(2);
        cache.put("a", "100", new float[] {1});
        assertArrayEquals(new float[] {1}, cache.get("a", "100"));
        assertNull(cache.get("a", "101"), "the row changed since");
        assertNull(cache.get("b", "100"));
        cache.put("b", "7", new float[] {2});
        cache.put("a", "101", new float[] {3});
        assertEquals(2, cache.size(), "replacing an entry is no growth");
        cache.put("c", "9", new float[] {4});
        assertEquals(1, cache.size(), "full: starts over");
        assertArrayEquals(new float[] {4}, cache.get("c", "9"));
        VectorCache off = new VectorCache(0);
        off.put("a", "1", new float[] {1});
        assertEquals(0, off.size());
    }

    static Memory open(String url, int cacheMb) {
        return Memory.builder().config(url).embedder("hash").setting("vector_mode", "exact")
                .setting("vector_weight", "1").setting("date_weight", "0")
                .setting("exact_cache_mb", String.valueOf(cacheMb)).build();
    }

    static List<String> ids(Memory m, String u, String query) {
        List<String> out = new ArrayList<>();
        for (SearchResult r : m.search(SearchQuery.builder(u, query).limit(5).build())) {
            out.add(r.memory().id() + "@" + r.score());
        }
        return out;
    }

    @Test
    void anotherProcessesUpdateIsSeenAndRankingsEqualTheUncachedOnes() throws Exception {
        String url = ReembedTest.freshDatabase("omp_test_exact_cache");
        try (Memory a = open(url, 16); Memory b = open(url, 16); Memory uncached = open(url, 0)) {
            String u = "cache-" + UUID.randomUUID();
            List<String> added = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                added.add(a.add(MemoryInput.of(u, "errand number " + i + " for the week")).id());
            }
            String query = "sailing regatta harbour";
            List<String> first = ids(a, u, query);
            assertEquals(ids(uncached, u, query), first, "cold cache ranks like no cache");
            assertEquals(first, ids(a, u, query), "warm cache ranks the same");
            // b (another process as far as a's cache knows) rewrites one memory: a must see the new vector.
            String changed = added.get(7);
            b.update(changed, MemoryUpdate.builder().content("sailing regatta at the harbour").build());
            List<String> after = ids(a, u, query);
            assertEquals(changed, after.get(0).substring(0, after.get(0).indexOf('@')),
                    "the updated memory now ranks first: " + after);
            assertEquals(ids(uncached, u, query), after);
        }
    }
}
