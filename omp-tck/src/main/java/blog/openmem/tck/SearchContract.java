package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT §5: ranking sanity, scores, limit, min_score, and per-user confinement. */
public interface SearchContract extends TckContext {

    /** Facts with little word overlap, so any sane ranking separates them. */
    List<String> FACTS = List.of(
            "The user prefers pnpm over npm for JavaScript projects",
            "Went hiking in the Swiss Alps last summer with two friends",
            "Allergic to peanuts and shellfish",
            "Works as a backend engineer writing Java and Kotlin",
            "Favourite film is Spirited Away by Studio Ghibli",
            "Has a golden retriever called Biscuit",
            "Drinks oolong tea every morning instead of coffee");

    private static void assertWellRanked(List<SearchResult> results) {
        double prev = Double.POSITIVE_INFINITY;
        for (SearchResult r : results) {
            assertTrue(r.score() >= 0.0 && r.score() <= 1.0, "score in [0,1]: " + r.score());
            assertTrue(r.score() <= prev + 1e-9, "scores are non-increasing down the list");
            prev = r.score();
        }
    }

    /** Checks: ranking puts the matching memory first. */
    @Test
    default void rankingPutsTheMatchingMemoryFirst() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        requireFeature("vector_search or keyword_search", capabilities().features().vectorSearch()
                || capabilities().features().keywordSearch());
        String user = newUser();
        for (String f : FACTS) {
            add(user, f);
        }
        for (var probe : List.of(
                new String[] {"which package manager, pnpm or npm?", FACTS.get(0)},
                new String[] {"peanuts allergy", FACTS.get(2)},
                new String[] {"what is the dog called? golden retriever", FACTS.get(5)},
                new String[] {"oolong tea in the morning", FACTS.get(6)})) {
            List<SearchResult> r = memory().search(user, probe[0]);
            assertFalse(r.isEmpty(), "no result for '" + probe[0] + "'");
            assertEquals(probe[1], r.get(0).memory().content(), "top result for '" + probe[0] + "'");
            assertWellRanked(r);
            assertTrue(r.size() <= SearchQuery.DEFAULT_LIMIT);
        }
    }

    /** Checks: limit and min score are honoured. */
    @Test
    default void limitAndMinScoreAreHonoured() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        String user = newUser();
        for (String f : FACTS) {
            add(user, f + " — note");
        }
        List<SearchResult> all = memory().search(SearchQuery.builder(user, "note tea Java film dog").limit(50).build());
        assertWellRanked(all);
        assertTrue(all.size() >= 3, "enough results to test min_score");
        List<SearchResult> two = memory().search(SearchQuery.builder(user, "note tea Java film dog").limit(2).build());
        assertEquals(2, two.size());
        double threshold = all.get(2).score();
        List<SearchResult> filtered = memory().search(SearchQuery.builder(user, "note tea Java film dog").limit(50)
                .minScore(threshold).build());
        assertTrue(filtered.stream().allMatch(r -> r.score() >= threshold - 1e-9), "nothing below min_score");
        assertTrue(filtered.size() >= 3, "min_score keeps what reaches it");
        long reaching = all.stream().filter(r -> r.score() >= threshold - 1e-9).count();
        List<SearchResult> limited = memory().search(SearchQuery.builder(user, "note tea Java film dog").limit(1)
                .minScore(threshold).build());
        assertEquals(Math.min(1, reaching), limited.size(), "min_score applies before limit");
        assertTrue(memory().search(SearchQuery.builder(user, "note").minScore(1.0).build()).stream()
                .allMatch(r -> r.score() >= 1.0 - 1e-9));
    }

    /** Checks: exact codes and names are found. */
    @Test
    default void exactCodesAndNamesAreFound() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        requireFeature("keyword_search", capabilities().features().keywordSearch());
        String user = newUser();
        for (String f : FACTS) {
            add(user, f);
        }
        add(user, "The door code for the office is 4471-QX");
        add(user, "Flight booking reference ZK93PL for Lisbon");
        assertEquals("Flight booking reference ZK93PL for Lisbon",
                memory().search(user, "ZK93PL").get(0).memory().content());
        assertEquals("The door code for the office is 4471-QX",
                memory().search(user, "4471-QX").get(0).memory().content());
    }

    /** Checks: search never returns another users memory. */
    @Test
    default void searchNeverReturnsAnotherUsersMemory() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        String alice = newUser();
        String bob = newUser();
        add(alice, "alice's secret recipe uses cardamom");
        add(bob, "bob likes cardamom buns");
        for (SearchResult r : memory().search(SearchQuery.builder(bob, "cardamom secret recipe").limit(100).build())) {
            assertEquals(bob, r.memory().userId());
        }
        assertTrue(memory().search(newUser(), "cardamom").isEmpty(), "a user without memories finds nothing");
    }

    /** Checks: unsupported verbs fail before any call. */
    @Test
    default void unsupportedVerbsFailBeforeAnyCall() {
        List<Verb> missing = java.util.Arrays.stream(Verb.values()).filter(v -> !capabilities().supports(v)).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(missing.isEmpty(), "provider declares every verb");
        String user = newUser();
        for (Verb v : missing) {
            blog.openmem.spi.error.UnsupportedCapabilityException e = org.junit.jupiter.api.Assertions.assertThrows(
                    blog.openmem.spi.error.UnsupportedCapabilityException.class, () -> call(v, user));
            assertEquals("unsupported_capability", e.code());
            assertEquals(400, e.httpStatus());
        }
    }

    private void call(Verb v, String user) {
        switch (v) {
            case ADD -> memory().add(user, "x");
            case GET -> memory().get("mem_x");
            case UPDATE -> memory().update("mem_x", blog.openmem.spi.model.MemoryUpdate.builder().content("y").build());
            case DELETE -> memory().delete("mem_x");
            case LIST -> memory().list(user);
            case SEARCH -> memory().search(user, "x");
            case CONTEXT -> memory().context(user, "x", 10);
            case AUDIT -> memory().audit(user);
        }
    }
}
