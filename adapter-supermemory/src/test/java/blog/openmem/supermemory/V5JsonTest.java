package blog.openmem.supermemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** v5 answers read by the streaming reader: the fields the adapter uses, the rest skipped, bad shapes named. */
class V5JsonTest {
    private interface Read<T> {
        T read(JsonParser p) throws IOException;
    }

    private static <T> T read(String json, Read<T> reader) throws IOException {
        try (JsonParser p = OmpJson.reader().createParser(json.replace('\'', '"').getBytes())) {
            return reader.read(p);
        }
    }

    @Test
    void aDocumentKeepsWhatTheAdapterUsesAndSkipsTheRest() throws Exception {
        SupermemoryApi.Document d = read("{'id': 'mem_1.ns', 'title': null, 'type': 'text', 'summary': {'x': [1, 2]},"
                + " 'content': 'hello', 'metadata': {'omp_user': 'u', 'omp_content_chars': 5, 'omp_tags': ['a'],"
                + " 'n': 1.5}, 'url': null, 'system': {'status': 'indexing', 'createdAt': '2026-01-02T03:04:05.123Z',"
                + " 'updatedAt': '2026-01-02T03:04:06Z', 'extra': {'deep': [true]}}}", V5Json::document);
        assertEquals("mem_1.ns", d.id());
        assertEquals("hello", d.content());
        assertEquals("indexing", d.status());
        assertEquals(Instant.parse("2026-01-02T03:04:05.123Z"), d.createdAt());
        assertEquals(Instant.parse("2026-01-02T03:04:06Z"), d.updatedAt());
        assertEquals(Map.of("omp_user", "u", "omp_content_chars", 5, "omp_tags", List.of("a"), "n", 1.5), d.metadata());
        assertTrue(SupermemoryDocuments.owned(d, "u"));
        assertFalse(SupermemoryDocuments.owned(d, "v"));
        assertEquals(5, SupermemoryDocuments.contentChars(d));
    }

    @Test
    void missingPartsTakeTheirDefaults() throws Exception {
        SupermemoryApi.Document d = read("{'id': 'x', 'content': null, 'metadata': null,"
                + " 'system': {'createdAt': '2026-01-02T03:04:05Z'}}", V5Json::document);
        assertNull(d.content());
        assertEquals("done", d.status(), "no status: processed");
        assertNull(d.updatedAt());
        assertEquals(Map.of(), d.metadata());
        assertEquals(-1, SupermemoryDocuments.contentChars(d));
    }

    @Test
    void anAnswerThatIsNoUsableDocumentIsNamed() {
        assertEquals("a document's system.createdAt is not a timestamp", assertThrows(JsonParseException.class,
                () -> read("{'id': 'x', 'system': {'createdAt': 'yesterday'}}", V5Json::document)).getOriginalMessage());
        assertEquals("a document's system.createdAt is not a timestamp", assertThrows(JsonParseException.class,
                () -> read("{'id': 'x'}", V5Json::document)).getOriginalMessage());
        assertEquals("a document without a string id", assertThrows(JsonParseException.class,
                () -> read("{'id': 7, 'system': {'createdAt': '2026-01-02T03:04:05Z'}}", V5Json::document))
                .getOriginalMessage());
        assertEquals("a document object was expected", assertThrows(JsonParseException.class,
                () -> read("[1]", V5Json::document)).getOriginalMessage());
        assertThrows(IOException.class, () -> read("{'id': 'x', 'metadata': {'a': [1, }", V5Json::document));
    }

    @Test
    void aPageSaysWhetherMoreFollow() throws Exception {
        String doc = "{'id': 'd%d', 'metadata': {}, 'system': {'status': 'done', 'createdAt': '2026-01-02T03:04:05Z'}}";
        SupermemoryApi.Page p = read("{'documents': [" + doc.formatted(1) + ", " + doc.formatted(2) + "],"
                + " 'pagination': {'currentPage': 1, 'limit': 2, 'totalItems': 3, 'totalPages': 2}}", x -> V5Json.page(x, 1));
        assertEquals(List.of("d1", "d2"), p.documents().stream().map(SupermemoryApi.Document::id).toList());
        assertTrue(p.more());
        assertFalse(read("{'pagination': {'currentPage': 2, 'totalPages': 2}, 'documents': []}",
                x -> V5Json.page(x, 2)).more());
        assertFalse(read("{'documents': []}", x -> V5Json.page(x, 1)).more(), "no pagination: no more pages");
    }

    @Test
    void hitsKeepTheirTextScoreAndDocumentAndSkipHitsWithoutOne() throws Exception {
        String json = "{'results': [{'id': 'c1', 'chunk': 'one', 'memory': 'm', 'similarity': 0.75, 'metadata': {},"
                + " 'included': {'document': {'id': 'd1', 'metadata': {'omp_user': 'u'},"
                + " 'system': {'createdAt': '2026-01-02T03:04:05Z'}}}},"
                + " {'id': 'c2', 'chunk': 'two', 'similarity': 0.5},"
                + " {'id': 'c3', 'chunk': 'three', 'similarity': 0.25, 'included': {'document': {'id': null,"
                + " 'system': {'createdAt': '2026-01-02T03:04:05Z'}}}}], 'searchTime': 1}";
        List<SupermemoryApi.Hit> chunks = read(json, p -> V5Json.hits(p, true));
        assertEquals(1, chunks.size());
        assertEquals("one", chunks.get(0).text());
        assertEquals(0.75, chunks.get(0).similarity());
        assertEquals("d1", chunks.get(0).document().id());
        assertTrue(SupermemoryDocuments.owned(chunks.get(0).document(), "u"));
        assertEquals("m", read(json, p -> V5Json.hits(p, false)).get(0).text(), "memories mode reads 'memory'");
        assertEquals(List.of(), read("{'results': []}", p -> V5Json.hits(p, true)));
        assertThrows(JsonParseException.class, () -> read("{'results': [1]}", p -> V5Json.hits(p, true)));
    }
}
