package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.Citation;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTRACT §6: the budget is never exceeded, counts are exact, citations match the text. */
public interface ContextContract extends TckContext {

    /** Checks: budget is never exceeded and citations match the text. */
    @Test
    default void budgetIsNeverExceededAndCitationsMatchTheText() {
        requireVerbs(Verb.ADD, Verb.CONTEXT);
        String user = newUser();
        for (String f : SearchContract.FACTS) {
            add(user, f);
        }
        add(user, "Long note: " + "the quick brown fox jumps over the lazy dog ".repeat(40));
        for (int budget : new int[] {1, 3, 8, 15, 30, 60, 120, 500, 5000}) {
            ContextBlock b = memory().context(user, "tea dog Java hiking film fox", budget);
            assertTrue(b.tokenCount() <= budget, "token_count " + b.tokenCount() + " over budget " + budget);
            int counted = memory().tokenCounter().count(b.text());
            assertTrue(counted <= budget, "text has " + counted + " tokens, over budget " + budget);
            assertEquals(counted, b.tokenCount(), "token_count is the exact count of text");
            int pos = -1;
            for (Citation c : b.citations()) {
                int at = b.text().indexOf("[" + c.memoryId() + "]");
                if (at < 0) {
                    at = b.text().indexOf(c.memoryId());
                }
                assertTrue(at > pos, "citation " + c.memoryId() + " missing from text or out of order");
                pos = at;
                assertTrue(c.score() >= 0 && c.score() <= 1);
            }
            if (b.citations().isEmpty()) {
                assertEquals("", b.text(), "nothing fits: empty text");
                assertEquals(0, b.tokenCount());
            }
        }
        ContextBlock roomy = memory().context(user, "tea dog Java hiking film", 5000);
        assertTrue(!roomy.citations().isEmpty(), "a roomy budget cites something");
        if (capabilities().supports(Verb.SEARCH)) {
            List<String> ranked = memory().search(blog.openmem.spi.model.SearchQuery.builder(user,
                    "tea dog Java hiking film").limit(capabilities().limits().effectiveMaxSearchResults()).build())
                    .stream().map(r -> r.memory().id()).toList();
            assertEquals(ranked, roomy.citations().stream().map(Citation::memoryId).toList(),
                    "with room for everything, the block cites the whole search ranking in order");
        }
    }

    /** Checks: citation scores are the search scores. */
    @Test
    default void citationScoresAreTheSearchScores() {
        requireVerbs(Verb.ADD, Verb.CONTEXT, Verb.SEARCH);
        String user = newUser();
        for (String f : SearchContract.FACTS) {
            add(user, f);
        }
        String q = "oolong tea and golden retriever";
        Map<String, Double> scores = new HashMap<>();
        for (SearchResult r : memory().search(blog.openmem.spi.model.SearchQuery.builder(user, q).limit(100).build())) {
            scores.put(r.memory().id(), r.score());
        }
        ContextBlock b = memory().context(user, q, 2000);
        assertTrue(!b.citations().isEmpty());
        double prev = Double.POSITIVE_INFINITY;
        for (Citation c : b.citations()) {
            assertTrue(scores.containsKey(c.memoryId()), "cited memory not in the search ranking");
            assertEquals(scores.get(c.memoryId()), c.score(), 1e-6);
            assertTrue(c.score() <= prev + 1e-9, "highest score first");
            prev = c.score();
        }
    }

    /** Checks: context of a user without memories is empty. */
    @Test
    default void contextOfAUserWithoutMemoriesIsEmpty() {
        requireVerbs(Verb.CONTEXT);
        ContextBlock b = memory().context(newUser(), "anything at all", 100);
        assertEquals("", b.text());
        assertEquals(List.of(), b.citations());
        assertEquals(0, b.tokenCount());
    }
}
