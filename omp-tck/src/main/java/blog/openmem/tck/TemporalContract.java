package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT §5: supersession and validity windows in search and context, as_of, include_superseded. */
public interface TemporalContract extends TckContext {

    private List<String> found(SearchQuery q) {
        return memory().search(q).stream().map(SearchResult::memory).map(Memory::id).toList();
    }

    /** Checks: superseded memories are hidden unless asked for. */
    @Test
    default void supersededMemoriesAreHiddenUnlessAskedFor() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        requireFeature("supports_supersession", capabilities().features().supportsSupersession());
        String user = newUser();
        Memory paris = add(user, "The user lives in Paris apartment");
        Memory berlin = add(MemoryInput.builder(user, "The user lives in Berlin apartment").supersedes(paris.id())
                .build());
        List<String> now = found(SearchQuery.builder(user, "where does the user live apartment").build());
        assertTrue(now.contains(berlin.id()));
        assertFalse(now.contains(paris.id()), "a memory superseded by a live one is not current");
        List<String> all = found(SearchQuery.builder(user, "where does the user live apartment")
                .includeSuperseded(true).build());
        assertTrue(all.contains(paris.id()) && all.contains(berlin.id()));
        if (capabilities().supports(Verb.CONTEXT)) {
            String text = memory().context(user, "where does the user live apartment", 500).text();
            assertTrue(text.contains(berlin.id()) && !text.contains(paris.id()), "context filters the same way");
        }
        if (capabilities().supports(Verb.DELETE)) {
            memory().delete(berlin.id());
            assertTrue(found(SearchQuery.builder(user, "user lives apartment").build()).contains(paris.id()),
                    "superseded only by a live memory: deleting the successor brings it back");
        }
    }

    /** Checks: supersession added by update applies. */
    @Test
    default void supersessionAddedByUpdateApplies() {
        requireVerbs(Verb.ADD, Verb.SEARCH, Verb.UPDATE);
        requireFeature("supports_supersession", capabilities().features().supportsSupersession());
        String user = newUser();
        Memory old = add(user, "Favourite colour is blue sky");
        Memory fresh = add(user, "Favourite colour is green grass");
        memory().update(fresh.id(), MemoryUpdate.builder().supersedes(List.of(old.id())).build());
        List<String> now = found(SearchQuery.builder(user, "favourite colour").build());
        assertTrue(now.contains(fresh.id()) && !now.contains(old.id()));
    }

    /** Checks: validity windows and as of. */
    @Test
    default void validityWindowsAndAsOf() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        requireFeature("temporal", capabilities().features().temporal());
        String user = newUser();
        Instant now = Instant.now();
        Memory expired = add(MemoryInput.builder(user, "Job title was junior engineer at Acme")
                .validFrom(now.minus(Duration.ofDays(400))).validTo(now.minus(Duration.ofDays(30))).build());
        Memory future = add(MemoryInput.builder(user, "Job title will be staff engineer at Acme")
                .validFrom(now.plus(Duration.ofDays(30))).build());
        Memory current = add(MemoryInput.builder(user, "Job title is senior engineer at Acme")
                .validFrom(now.minus(Duration.ofDays(30))).build());
        List<String> today = found(SearchQuery.builder(user, "job title engineer Acme").build());
        assertTrue(today.contains(current.id()));
        assertFalse(today.contains(expired.id()), "valid_to in the past is not current");
        assertFalse(today.contains(future.id()), "valid_from in the future is not current yet");
        List<String> lastYear = found(SearchQuery.builder(user, "job title engineer Acme")
                .asOf(now.minus(Duration.ofDays(100))).build());
        assertTrue(lastYear.contains(expired.id()), "as_of inside the window");
        assertFalse(lastYear.contains(current.id()) || lastYear.contains(future.id()));
        List<String> later = found(SearchQuery.builder(user, "job title engineer Acme")
                .asOf(now.plus(Duration.ofDays(60))).build());
        assertTrue(later.contains(future.id()) && later.contains(current.id()) && !later.contains(expired.id()));
        if (capabilities().supports(Verb.LIST)) {
            assertTrue(memory().list(user).items().size() == 3, "list always returns everything");
        }
    }
}
