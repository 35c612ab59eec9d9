package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** User ids to namespaces: stateless, within Supermemory's alphabet, never two users in one. */
class NamespacesTest {
    @Test
    void plainIdsAreThemselvesAndOthersAreEscapedWithinTheAlphabet() {
        assertEquals("alice_01-x", Namespaces.of("alice_01-x"));
        assertEquals("a:3ab", Namespaces.of("a:b"));
        assertEquals("a:2eb:40c", Namespaces.of("a.b@c"));
        assertEquals(":c3:a9t:c3:a9", Namespaces.of("\u00e9t\u00e9"));
        for (String u : List.of("a b", "x/y", "\ud83d\ude00", "tck-1:2", ":3a")) {
            assertTrue(Namespaces.of(u).matches("[a-zA-Z0-9_:-]{1,100}"), u);
            assertTrue(Namespaces.valid(Namespaces.of(u)), u);
            assertEquals(u, Namespaces.userId(Namespaces.of(u)), "decodes back to exactly the user");
        }
    }

    @Test
    void distinctUsersNeverShareANamespace() {
        List<String> users = List.of("a:b", "a:3ab", "a.b", "a:2eb", "A", "a", "a b", "a_b", "a-b", ":", "::");
        Set<String> seen = new HashSet<>();
        for (String u : users) {
            assertTrue(seen.add(Namespaces.of(u)), () -> "collision for " + u);
        }
        assertNotEquals(Namespaces.of("a:b"), Namespaces.of("a:3ab"));
    }

    @Test
    void aUserWhoseNamespaceWouldBeTooLongIsRefusedNotShortened() {
        assertEquals(100, Namespaces.of("u".repeat(100)).length());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Namespaces.of("u".repeat(101)));
        assertTrue(e.getMessage().startsWith("user_id:"));
        assertThrows(InvalidRequestException.class, () -> Namespaces.of("\u00e9".repeat(17)));
    }
}
