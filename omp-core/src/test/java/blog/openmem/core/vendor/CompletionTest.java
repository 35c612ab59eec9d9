package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.vendor.Completion.Bounds;
import blog.openmem.core.vendor.Completion.Page;
import blog.openmem.core.vendor.Completion.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CompletionTest {
    /** A vendor with 95 items in pages of 10 (page tokens "1".."10"). */
    final List<Integer> all = IntStream.range(0, 95).boxed().toList();
    final AtomicInteger fetches = new AtomicInteger();
    final Function<String, Page<Integer>> vendor = token -> {
        fetches.incrementAndGet();
        int page = token == null ? 1 : Integer.parseInt(token);
        int from = (page - 1) * 10;
        return new Page<>(all.subList(from, Math.min(all.size(), from + 10)), from + 10 < all.size()
                ? String.valueOf(page + 1) : null);
    };

    @Test
    void pagingThroughAFilterSeesEveryMatchOnceWithoutGaps() {
        for (int limit : new int[] {1, 3, 7, 10, 50}) {
            List<Integer> seen = new ArrayList<>();
            Position at = Position.START;
            do {
                Completion.Result<Integer> r = Completion.collect(at, vendor, i -> i % 3 == 0, limit, Bounds.DEFAULT,
                        "test");
                assertTrue(r.items().size() <= limit);
                assertFalse(r.bounded());
                if (r.next() != null) {
                    assertEquals(limit, r.items().size(), "a page short of limit only at the end");
                }
                seen.addAll(r.items());
                at = r.next() == null ? null : Position.fromMap(r.next().toMap());
            } while (at != null);
            assertEquals(all.stream().filter(i -> i % 3 == 0).toList(), seen, "limit " + limit);
        }
    }

    @Test
    void aBoundStopsTheReadingAndTheCursorContinuesFromThere() {
        Completion.Result<Integer> r = Completion.collect(Position.START, vendor, i -> i > 90, 5,
                new Bounds(3, Duration.ofSeconds(10)), "test");
        assertTrue(r.bounded());
        assertEquals(3, r.pages());
        assertEquals(List.of(), r.items());
        assertEquals(new Position("4", 0), r.next());
        Completion.Result<Integer> rest = Completion.collect(r.next(), vendor, i -> i > 90, 5, Bounds.DEFAULT, "test");
        assertEquals(List.of(91, 92, 93, 94), rest.items());
        assertNull(rest.next());
    }

    @Test
    void aLimitReachedOnAPagesLastItemContinuesOnTheNextPage() {
        Completion.Result<Integer> r = Completion.collect(Position.START, vendor, i -> true, 10, Bounds.DEFAULT, "t");
        assertEquals(new Position("2", 0), r.next());
        assertEquals(1, fetches.get());
    }
}
