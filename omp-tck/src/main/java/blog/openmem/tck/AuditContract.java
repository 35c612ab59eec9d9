package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.Verb;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONTRACT §8: every operation is logged for its user, newest first, with app and request id. */
public interface AuditContract extends TckContext {

    /** Checks: operations are audited newest first. */
    @Test
    default void operationsAreAuditedNewestFirst() {
        requireVerbs(Verb.AUDIT, Verb.ADD, Verb.GET);
        String user = newUser();
        blog.openmem.core.Memory app = memory().withApp("tck-app");
        Memory m = settle(app.add(MemoryInput.builder(user, "audited fact").scope(
                capabilities().features().effectiveScopes() == blog.openmem.spi.model.ScopeSupport.NONE ? null
                        : "audit/test").build()));
        app.get(m.id(), user);
        if (capabilities().supports(Verb.UPDATE)) {
            app.update(m.id(), user, MemoryUpdate.builder().content("audited fact, revised").build());
        }
        if (capabilities().supports(Verb.SEARCH)) {
            app.search(user, "audited");
        }
        if (capabilities().supports(Verb.DELETE)) {
            app.delete(m.id(), user);
        }
        List<AuditEntry> entries = memory().audit(user);
        List<Verb> actions = entries.stream().map(AuditEntry::action).toList();
        assertTrue(actions.contains(Verb.ADD) && actions.contains(Verb.GET), "add and get logged: " + actions);
        if (capabilities().supports(Verb.UPDATE)) {
            assertTrue(actions.contains(Verb.UPDATE));
        }
        if (capabilities().supports(Verb.DELETE)) {
            assertTrue(actions.contains(Verb.DELETE));
            assertEquals(Verb.DELETE, actions.get(0), "newest first");
        }
        if (capabilities().supports(Verb.SEARCH)) {
            assertTrue(actions.contains(Verb.SEARCH));
        }
        assertFalse(actions.contains(Verb.AUDIT), "reading the log is not an operation on a memory");
        Instant prev = Instant.MAX;
        for (AuditEntry e : entries) {
            assertTrue(!e.timestamp().isAfter(prev), "newest first");
            prev = e.timestamp();
            assertEquals("tck-app", e.app(), "app of the caller (D-11)");
            assertTrue(e.requestId() != null && !e.requestId().isBlank(), "request id recorded");
        }
        AuditEntry add = entries.stream().filter(e -> e.action() == Verb.ADD).findFirst().orElseThrow();
        assertEquals(m.id(), add.memoryId());
        assertEquals(m.scope(), add.scope());
    }

    /** Checks: filters by app since and limit. */
    @Test
    default void filtersByAppSinceAndLimit() {
        requireVerbs(Verb.AUDIT, Verb.ADD);
        String user = newUser();
        Memory a = add(MemoryInput.builder(user, "from source app").source(MemorySource.ofApp("importer")).build());
        memory().withApp("one").add(user, "from app one");
        memory().withApp("two").add(user, "from app two");
        List<AuditEntry> all = memory().audit(user);
        assertEquals(3, all.size());
        assertEquals("importer", all.get(2).app(), "without a caller app, source.app of the memory (D-11)");
        assertEquals(a.id(), all.get(2).memoryId());
        List<AuditEntry> one = memory().audit(new AuditQuery(user, "one", null, 100));
        assertEquals(1, one.size());
        assertEquals("one", one.get(0).app());
        Instant middle = all.get(1).timestamp();
        List<AuditEntry> since = memory().audit(new AuditQuery(user, null, middle, 100));
        assertTrue(since.stream().anyMatch(e -> e.timestamp().equals(middle)), "since is inclusive");
        assertTrue(since.stream().noneMatch(e -> e.timestamp().isBefore(middle)));
        assertEquals(1, memory().audit(new AuditQuery(user, null, null, 1)).size());
        assertEquals(List.of(), memory().audit(newUser()), "another user's log is empty");
    }
}
