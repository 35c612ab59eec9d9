package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientFilterTest {
    static Memory m(String id, String scope, Instant created) {
        return Memory.builder().id(id).content("c").userId("u").createdAt(created).scope(scope).tags(List.of("t"))
                .build();
    }

    @Test
    void listFiltersBySegmentPrefixTagAndInclusiveTimes() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        var f = ClientFilter.list(ListQuery.builder("u").scope("coding").tag("t").since(t).until(t).build(), null);
        assertTrue(f.test(m("a", "coding/x", t)));
        assertFalse(f.test(m("b", "codingX", t)));
        assertFalse(f.test(m("c", null, t)));
        assertFalse(f.test(m("d", "coding", t.plusSeconds(1))));
        var confined = ClientFilter.list(ListQuery.builder("u").build(), List.of(ScopePattern.parse("work")));
        assertTrue(confined.test(m("e", "work/a", t)));
        assertFalse(confined.test(m("f", null, t)));
    }

    @Test
    void searchFiltersValidityAtAsOfAndSupersession() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        Memory future = m("a", null, now).toBuilder().validFrom(now.plusSeconds(60)).build();
        Memory ended = m("b", null, now).toBuilder().validTo(now).build();
        Memory plain = m("c", null, now);
        var f = ClientFilter.search(SearchQuery.builder("u", "q").build(), null, Set.of("c"), now);
        assertFalse(f.test(future));
        assertFalse(f.test(ended));
        assertFalse(f.test(plain), "superseded");
        var past = ClientFilter.search(SearchQuery.builder("u", "q").asOf(now.minusSeconds(1)).includeSuperseded(true)
                .build(), null, Set.of("c"), now);
        assertTrue(past.test(ended));
        assertTrue(past.test(plain));
    }
}
