package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.Verb;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** CONTRACT §3 list: newest first, filters, keyset pagination without duplicates or gaps. */
public interface ListContract extends TckContext {

    /** {@code created_at DESC, id DESC}. */
    Comparator<Memory> NEWEST_FIRST = Comparator.comparing(Memory::createdAt).thenComparing(Memory::id).reversed();

    /** Checks: list is newest first and only the users. */
    @Test
    default void listIsNewestFirstAndOnlyTheUsers() {
        requireVerbs(Verb.ADD, Verb.LIST);
        String user = newUser();
        String other = newUser();
        List<Memory> added = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            added.add(add(user, "memory " + i));
            add(other, "someone else's " + i);
        }
        MemoryPage page = memory().list(user);
        assertEquals(6, page.items().size());
        assertNull(page.nextCursor(), "one page holds everything: no cursor");
        List<Memory> sorted = new ArrayList<>(page.items());
        sorted.sort(NEWEST_FIRST);
        assertEquals(TckContext.ids(sorted), TckContext.ids(page.items()), "created_at DESC, id DESC");
        assertEquals(new HashSet<>(TckContext.ids(added)), new HashSet<>(TckContext.ids(page.items())));
        assertTrue(page.items().stream().allMatch(m -> m.userId().equals(user)));
    }

    /** Checks: pagination has no duplicates or gaps. */
    @Test
    default void paginationHasNoDuplicatesOrGaps() {
        requireVerbs(Verb.ADD, Verb.LIST);
        String user = newUser();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            expected.add(add(user, "paged " + i).id());
        }
        List<String> seen = new ArrayList<>();
        ListQuery q = ListQuery.builder(user).limit(5).build();
        int pages = 0;
        MemoryPage page = memory().list(q);
        while (true) {
            pages++;
            assertTrue(page.items().size() <= 5);
            seen.addAll(TckContext.ids(page.items()));
            if (!page.hasMore()) {
                break;
            }
            page = memory().list(q.withCursor(page.nextCursor()));
            assertTrue(pages < 10, "pagination does not terminate");
        }
        assertEquals(3, pages);
        assertEquals(12, seen.size(), "no duplicates: " + seen);
        assertEquals(expected, new HashSet<>(seen), "no gaps");
    }

    /** Checks: pagination under concurrent inserts never repeats or skips old rows. */
    @Test
    default void paginationUnderConcurrentInsertsNeverRepeatsOrSkipsOldRows() throws Exception {
        requireVerbs(Verb.ADD, Verb.LIST);
        String user = newUser();
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            original.add(add(user, "before " + i).id());
        }
        Set<String> inserted = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    inserted.add(memory().add(MemoryInput.of(user, "during " + i)).id());
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        List<String> seen = new ArrayList<>();
        ListQuery q = ListQuery.builder(user).limit(3).build();
        MemoryPage page = memory().list(q);
        while (true) {
            seen.addAll(TckContext.ids(page.items()));
            if (!page.hasMore()) {
                break;
            }
            page = memory().list(q.withCursor(page.nextCursor()));
        }
        writer.join(60_000);
        assertNull(failure.get(), () -> "writer failed: " + failure.get());
        assertEquals(new HashSet<>(seen).size(), seen.size(), "a row appeared twice while paging");
        assertTrue(seen.containsAll(original), "rows that existed before paging began were skipped");
        assertTrue(seen.stream().allMatch(id -> original.contains(id) || inserted.contains(id)));
    }

    /** Checks: malformed cursors are 4 0 0. */
    @Test
    default void malformedCursorsAre400() {
        requireVerbs(Verb.LIST);
        String user = newUser();
        for (String bad : List.of("garbage", "!!!", "' OR 1=1 --", "eyJ4IjoxfQ", "%00")) {
            assertInvalid("cursor", () -> memory().list(ListQuery.builder(user).cursor(bad).build()));
        }
    }

    /** Checks: a cursor never leaks another users rows. */
    @Test
    default void aCursorNeverLeaksAnotherUsersRows() {
        requireVerbs(Verb.ADD, Verb.LIST);
        String alice = newUser();
        String bob = newUser();
        for (int i = 0; i < 4; i++) {
            add(alice, "alice " + i);
        }
        add(bob, "bob 0");
        MemoryPage first = memory().list(ListQuery.builder(alice).limit(2).build());
        assertTrue(first.hasMore());
        try {
            MemoryPage p = memory().list(ListQuery.builder(bob).cursor(first.nextCursor()).build());
            assertTrue(p.items().stream().allMatch(m -> m.userId().equals(bob)));
        } catch (blog.openmem.spi.error.InvalidRequestException rejected) {
            assertTrue(rejected.getMessage().startsWith("cursor:"), rejected.getMessage());
        }
    }

    /** Checks: tag and time filters are inclusive. */
    @Test
    default void tagAndTimeFiltersAreInclusive() {
        requireVerbs(Verb.ADD, Verb.LIST);
        String user = newUser();
        Memory a = add(MemoryInput.builder(user, "first").tags("x").build());
        Memory b = add(MemoryInput.builder(user, "second").tags("y", "x").build());
        Memory c = add(MemoryInput.builder(user, "third").tags("y").build());
        assertEquals(Set.of(a.id(), b.id()), new HashSet<>(TckContext.ids(memory().list(
                ListQuery.builder(user).tag("x").build()).items())));
        List<String> since = TckContext.ids(memory().list(ListQuery.builder(user).since(b.createdAt()).build()).items());
        assertTrue(since.contains(b.id()) && since.contains(c.id()), "since is inclusive");
        assertFalse(since.contains(a.id()) && a.createdAt().isBefore(b.createdAt()));
        List<String> until = TckContext.ids(memory().list(ListQuery.builder(user).until(b.createdAt()).build()).items());
        assertTrue(until.contains(b.id()) && until.contains(a.id()), "until is inclusive");
        assertFalse(until.contains(c.id()) && c.createdAt().isAfter(b.createdAt()));
        assertEquals(List.of(), memory().list(ListQuery.builder(user).tag("nope").build()).items());
    }
}
