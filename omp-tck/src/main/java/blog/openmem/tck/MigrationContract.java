package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.Verb;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a migration relies on: reading every memory of a user ({@code list}, or the {@code export}
 * feature), listing users ({@code list_users}) and keeping creation times on import
 * ({@code keeps_created_at}).
 */
public interface MigrationContract extends TckContext {

    /** Checks: every memory of the user, superseded and expired ones included, and no one else's. */
    @Test
    default void exportReadsEveryMemoryOfTheUserAndNoOneElses() {
        assumeReadable();
        String user = newUser();
        String other = newUser();
        Memory old = add(user, "The office is on the second floor");
        Memory expired = add(MemoryInput.builder(user, "The office was closed for a week")
                .validTo(Instant.now().minus(1, ChronoUnit.DAYS)).build());
        Memory newer = add(MemoryInput.builder(user, "The office moved to the third floor")
                .supersedes(List.of(old.id())).build());
        add(other, "The office is someone else's");
        Set<String> read = memory().exportAll(user).map(Memory::id).collect(Collectors.toSet());
        assertEquals(Set.of(old.id(), expired.id(), newer.id()), read);
        assertEquals(List.of(), memory().exportAll(newUser()).toList(), "a user without memories has none");
    }

    /** Checks: a user holding memories is listed; one whose memories are all deleted is not. */
    @Test
    default void usersAreListedWhileTheyHoldMemories() {
        requireFeature(Features.LIST_USERS, capabilities().features().has(Features.LIST_USERS));
        String a = newUser();
        String b = newUser();
        Memory m = add(a, "listed while it holds this");
        add(b, "and this one too");
        Set<String> users = memory().users().collect(Collectors.toSet());
        assertTrue(users.containsAll(Set.of(a, b)), "both users are listed");
        List<String> all = memory().users().toList();
        assertEquals(Set.copyOf(all).size(), all.size(), "each user once across pages");
        if (capabilities().supports(Verb.DELETE)) {
            memory().delete(m.id(), a);
            assertFalse(memory().users().anyMatch(a::equals), "a user without memories is not listed");
        }
    }

    /** Checks: an import writes the memory, keeping its creation time where the provider declares it. */
    @Test
    default void importKeepsTheOriginalCreationTimeWhereDeclared() {
        requireVerbs(Verb.ADD);
        String user = newUser();
        Instant then = Instant.parse("2021-03-04T05:06:07.123456Z");
        List<Memory> out = memory().importAll(List.of(new ImportedMemory(MemoryInput.builder(user,
                "imported from another store").tags("imported").build(), then)));
        assertEquals(1, out.size());
        Memory m = settle(out.get(0));
        assertEquals("imported from another store", m.content());
        assertEquals(List.of("imported"), m.tags());
        if (capabilities().features().has(Features.KEEPS_CREATED_AT)) {
            assertEquals(then, m.createdAt());
            if (capabilities().supports(Verb.GET)) {
                assertEquals(then, memory().get(m.id(), user).createdAt());
            }
        } else {
            // Undeclared, the time is the provider's to choose (a provider keeping it anyway declares less
            // than it does, which misleads no one).
            assertTrue(m.createdAt() != null);
        }
    }

    private void assumeReadable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(capabilities().supports(Verb.LIST)
                || capabilities().features().has(Features.EXPORT), "provider can neither list nor export");
    }
}
