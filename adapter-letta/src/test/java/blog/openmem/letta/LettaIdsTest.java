package blog.openmem.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adapter's ids: their form, their order and the creation time read back from them. */
class LettaIdsTest {
    @Test
    void idsHaveTheirFormAndNameTheirMicrosecondInOrder() {
        Set<String> seen = new HashSet<>();
        Instant previous = Instant.EPOCH;
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 10_000; i++) {
            String id = LettaIds.next();
            assertTrue(id.matches("mem_[0-9]{16}_[0-9a-f]{12}"), id);
            assertTrue(seen.add(id), "a repeated id: " + id);
            Instant at = LettaIds.createdAt(id).orElseThrow();
            assertTrue(at.isAfter(previous), "ids are in creation order: " + id);
            assertTrue(at.isAfter(before) && at.isBefore(Instant.now().plusSeconds(1)), id);
            previous = at;
        }
    }

    @Test
    void idsOfOtherFormsNameNoTime() {
        assertEquals(Optional.empty(), LettaIds.createdAt("mem_1764900000000000_00000000000g"));
        assertEquals(Optional.empty(), LettaIds.createdAt("mem_1764900000000000_000000000000a"));
        assertEquals(Optional.empty(), LettaIds.createdAt("passage-1764900000000000"));
        assertEquals(Optional.of(Instant.parse("2025-12-05T02:00:00.000001Z")),
                LettaIds.createdAt("mem_1764900000000001_0123456789ab"));
    }
}
