package blog.openmem.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mem0's memory objects read from the answer's bytes, fields OMP does not use skipped. */
class Mem0MemoryTest {
    private static Mem0Memory.Results results(String json) throws IOException {
        try (JsonParser p = OmpJson.reader().createParser(json.getBytes(StandardCharsets.UTF_8))) {
            return Mem0Memory.readResults(p);
        }
    }

    @Test
    void aPageReadsItsMemoriesAndNextLinkSkippingTheRest() throws IOException {
        Mem0Memory.Results r = results("""
                {"count": 2, "previous": null, "next": "https://x/?page=2", "results": [
                  {"id": "a", "memory": "likes tea", "user_id": "u", "hash": "h", "agent_id": null,
                   "metadata": {"omp_v": 1, "k": [1, {"n": 2.5}]}, "categories": ["food"], "immutable": false,
                   "structured_attributes": {"day": 3, "deep": [[{}]]},
                   "created_at": "2026-01-02T03:04:05.000006Z", "updated_at": null, "score": 0.75},
                  {"id": 42, "memory": "x", "metadata": null, "categories": [], "created_at": "2026-01-02T03:04:05Z"}
                ], "extra": {"a": [1, 2]}}""");
        assertEquals("https://x/?page=2", r.next());
        assertEquals(2, r.results().size());
        Mem0Memory a = r.results().get(0);
        assertEquals(new Mem0Memory("a", "likes tea", "u", Map.of("omp_v", 1, "k", List.of(1, Map.of("n", 2.5))),
                List.of("food"), "2026-01-02T03:04:05.000006Z", null, 0.75), a);
        Mem0Memory b = r.results().get(1);
        assertEquals("42", b.id(), "a numeric id is kept as its text");
        assertEquals(Map.of(), b.metadata());
        assertNull(b.categories(), "no categories is none");
        assertNull(b.score());
    }

    @Test
    void aFieldOfTheWrongShapeIsNoValueAndTheRestStillReads() throws IOException {
        Mem0Memory m = results("""
                {"results": [{"memory": {"nested": ["x"]}, "id": "a", "user_id": ["u"], "created_at": "t"}]}""")
                .results().get(0);
        assertNull(m.memory());
        assertNull(m.userId());
        assertEquals("a", m.id());
        assertEquals("t", m.createdAt());
    }

    @Test
    void malformedJsonOrAnotherShapeIsAnError() {
        assertThrows(IOException.class, () -> results("{\"results\": [{\"id\": \"a\",]}"));
        assertThrows(IOException.class, () -> results("[1, 2]"));
        assertThrows(IOException.class, () -> results("{\"results\": [1]}"));
    }
}
