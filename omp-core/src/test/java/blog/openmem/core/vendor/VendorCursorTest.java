package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VendorCursorTest {
    final VendorCursor codec = VendorCursor.forProvider("mem0", "sk-secret");

    @Test
    void roundTripsItsPositionForItsOwnQuery() {
        String c = codec.encode("alice|scope=work", Map.of("page", "3", "offset", 7));
        assertEquals(Map.of("page", "3", "offset", 7), codec.decode(c, "alice|scope=work"));
        assertEquals(Map.of("page", "3", "offset", 7), VendorCursor.forProvider("mem0", "sk-secret")
                .decode(c, "alice|scope=work"), "another process with the same configuration accepts it");
        assertFalse(c.contains("sk-secret") || c.contains("alice"), c);
    }

    @Test
    void positionsWithAnyCharacterAndEveryValueKindRoundTrip() {
        Map<String, Object> position = new java.util.LinkedHashMap<>();
        position.put("after", "id \"quoted\" \\ back/slash \u0000\u001f ü \uD83D\uDE00");
        position.put("page", 12);
        position.put("at", 1_764_000_000_123_456L);
        position.put("first", true);
        position.put("none", null);
        position.put("list", java.util.List.of("a", 2));
        assertEquals(position, codec.decode(codec.encode("q\u0001\"x\"", position), "q\u0001\"x\""));
    }

    @Test
    void forgedAlteredOrForeignCursorsAre400() {
        String c = codec.encode("alice", Map.of("page", "3", "offset", 0));
        for (String bad : new String[] {"", ".", "abc", "abc.def", c + "x", "x" + c, c.replace('A', 'B'),
            c.substring(0, c.indexOf('.')) + "." + "AAAA"}) {
            if (bad.equals(c)) {
                continue;
            }
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> codec.decode(bad, "alice"),
                    bad);
            assertTrue(e.getMessage().startsWith("cursor:"), e.getMessage());
        }
        assertThrows(InvalidRequestException.class, () -> codec.decode(c, "bob"), "another query's");
        assertThrows(InvalidRequestException.class, () -> VendorCursor.forProvider("mem0", "other-key")
                .decode(c, "alice"), "another configuration's");
        assertThrows(InvalidRequestException.class, () -> VendorCursor.forProvider("letta", "sk-secret")
                .decode(c, "alice"), "another provider's");
    }
}
