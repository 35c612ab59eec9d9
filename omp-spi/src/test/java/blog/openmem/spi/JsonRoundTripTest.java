package blog.openmem.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.ErrorEnvelope;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SourceType;
import blog.openmem.spi.model.Verb;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonRoundTripTest {

    static String resource(String name) throws IOException {
        try (InputStream in = JsonRoundTripTest.class.getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode tree(String json) {
        return OmpJson.read(json, JsonNode.class);
    }

    @Test
    void capabilitiesExampleOfContractRoundTrips() throws IOException {
        String json = resource("capabilities-contract.json");
        Capabilities c = OmpJson.read(json, Capabilities.class);
        assertEquals("0.1", c.ompVersion());
        assertEquals("postgres", c.provider());
        assertTrue(c.supports(Verb.AUDIT));
        assertEquals(8, c.verbSet().size());
        assertTrue(c.features().vectorSearch());
        assertFalse(c.features().graphQueries());
        assertEquals(ScopeSupport.NATIVE, c.features().scopes());
        assertEquals(10000, c.features().effectiveMaxContentLength());
        assertEquals(100, c.limits().effectiveMaxSearchResults());
        assertEquals(tree(json), tree(OmpJson.write(c)));
    }

    @Test
    void capabilitiesKeepExtraFlagsAndUnknownVerbs() {
        String json = "{\"omp_version\":\"0.1\",\"provider\":\"p\",\"verbs\":[\"add\",\"graph\"],"
                + "\"features\":{\"vector_index\":\"hnsw\",\"async_ingestion\":true},\"future\":{\"a\":1}}";
        Capabilities c = OmpJson.read(json, Capabilities.class);
        assertTrue(c.supports(Verb.ADD));
        assertEquals(List.of("add", "graph"), c.verbs());
        assertEquals("hnsw", c.features().extra().get("vector_index"));
        JsonNode out = tree(OmpJson.write(c));
        assertEquals("hnsw", out.at("/features/vector_index").asText());
        assertEquals(1, out.at("/future/a").asInt());
        assertEquals("graph", out.at("/verbs/1").asText());
    }

    @Test
    void memoryExampleRoundTripsWithExtensionsAndUnknownFields() throws IOException {
        String json = resource("memory-openapi.json");
        Memory m = OmpJson.read(json, Memory.class);
        assertEquals("mem_abc123", m.id());
        assertEquals("kek", m.userId());
        assertEquals(SourceType.EXPLICIT, m.source().type());
        assertEquals(Instant.parse("2026-01-02T03:04:05.123Z"), m.createdAt());
        assertEquals(Instant.parse("2026-01-02T22:00:00Z"), m.updatedAt(), "offsets are normalised to UTC");
        assertNull(m.validTo());
        assertEquals(MemoryStatus.DONE, m.status());
        assertEquals(Map.of("id", "abc", "raw_status", "SUCCEEDED"), m.extensions().get("x-mem0"));
        assertEquals(List.of(1, 2, 3), m.extensions().get("future_field"));

        JsonNode out = tree(OmpJson.write(m));
        assertFalse(out.has("valid_to"), "nulls are omitted (D-6)");
        assertFalse(out.has("extensions"), "the extension map is flattened");
        assertEquals("2026-01-02T22:00:00Z", out.get("updated_at").asText(), "emitted in UTC with Z");
        assertEquals("SUCCEEDED", out.at("/x-mem0/raw_status").asText());
        assertEquals(3, out.get("future_field").size());
        assertEquals("coding/preferences", out.get("scope").asText());
        // A second trip is stable.
        assertEquals(m, OmpJson.read(OmpJson.write(m), Memory.class));
    }

    @Test
    void memoryInputKeepsOnlyXFields() {
        MemoryInput in = OmpJson.read("{\"content\":\"c\",\"user_id\":\"u\",\"x-app\":{\"k\":[1]},\"bogus\":1}",
                MemoryInput.class);
        assertEquals(Map.of("x-app", Map.of("k", List.of(1))), in.extensions());
        JsonNode out = tree(OmpJson.write(in));
        assertEquals(1, out.at("/x-app/k/0").asInt());
        assertFalse(out.has("bogus"));
    }

    @Test
    void contextBlockAndAuditExamples() throws IOException {
        String ctx = resource("context-block.json");
        ContextBlock b = OmpJson.read(ctx, ContextBlock.class);
        assertEquals("mem_abc123", b.citations().get(0).memoryId());
        assertEquals(12, b.tokenCount());
        assertEquals(tree(ctx), tree(OmpJson.write(b)));

        JsonNode audit = tree(resource("audit-entries.json"));
        List<AuditEntry> entries = OmpJson.mapper().convertValue(audit.get("entries"), new TypeReference<List<AuditEntry>>() { });
        assertEquals(Verb.ADD, entries.get(0).action());
        assertEquals("cursor", entries.get(0).app());
        assertNull(entries.get(1).memoryId());
        JsonNode again = tree(OmpJson.write(entries.get(1)));
        assertFalse(again.has("memory_id"), "null memory_id omitted (D-6)");
    }

    @Test
    void errorEnvelopeExample() throws IOException {
        String json = resource("error-envelope.json");
        ErrorEnvelope e = OmpJson.read(json, ErrorEnvelope.class);
        assertEquals("scope_denied", e.error().code());
        assertEquals("req_123", e.error().requestId());
        assertEquals(tree(json), tree(OmpJson.write(e)));
    }

    @Test
    void updateDistinguishesAbsentFromExplicitNull() {
        MemoryUpdate u = OmpJson.read("{\"scope\":null,\"tags\":[\"a\"],\"valid_to\":\"2030-01-01T00:00:00Z\"}",
                MemoryUpdate.class);
        assertTrue(u.content().isUnchanged());
        assertTrue(u.scope().isClear());
        assertEquals(List.of("a"), u.tags().value());
        assertTrue(u.confidence().isUnchanged());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), u.validTo().value());
        JsonNode out = tree(OmpJson.write(u));
        assertTrue(out.get("scope").isNull(), "an explicit null is written back as null");
        assertFalse(out.has("content"));
        assertFalse(out.has("confidence"));
        assertEquals(u, OmpJson.read(OmpJson.write(u), MemoryUpdate.class));

        MemoryUpdate nullContent = OmpJson.read("{\"content\":null}", MemoryUpdate.class);
        assertTrue(nullContent.content().isClear(), "parsed, then rejected by Validation");
    }

    @Test
    void updateAppliesD10() {
        Memory m = Memory.builder().id("m").content("c").userId("u").scope("a/b").tags(List.of("t"))
                .confidence(0.5).supersedes(List.of("x")).createdAt(Instant.EPOCH).build();
        Memory after = MemoryUpdate.builder().clearScope().supersedes(List.of("y", "x")).build()
                .applyTo(m, Instant.EPOCH.plusSeconds(1));
        assertNull(after.scope());
        assertEquals(List.of("t"), after.tags(), "absent = unchanged");
        assertEquals(0.5, after.confidence());
        assertEquals(List.of("x", "y"), after.supersedes(), "appended, not replaced");
        assertEquals(Instant.EPOCH.plusSeconds(1), after.updatedAt());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"content\":\"c\",\"user_id\":\"u\",\"source\":{\"type\":\"bogus\"}}|source.type",
        "{\"content\":\"c\",\"user_id\":\"u\",\"valid_from\":\"yesterday\"}|valid_from",
        "{\"content\":\"c\",\"user_id\":\"u\",\"confidence\":\"high\"}|confidence",
        "{\"content\":\"c\",\"user_id\":\"u\",\"tags\":\"a\"}|tags",
        "{\"content\":[1],\"user_id\":\"u\"}|content",
        "{\"content\":5,\"user_id\":\"u\"}|content",
        "{\"content\":\"c\",\"user_id\":true}|user_id",
        "{\"content\":\"c\",\"user_id\":\"u\",\"confidence\":\"0.5\"}|confidence",
        "{\"content\":\"c\"|body",
        "[1,2]|body",
        "{\"content\":\"c\",\"user_id\":\"u\"} trailing|body",
    })
    void badInputNamesTheField(String json, String field) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> OmpJson.read(json, MemoryInput.class));
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
        assertFalse(e.getMessage().contains("blog.openmem"), "no class names leak: " + e.getMessage());
        assertEquals(400, e.httpStatus());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"valid_to\":\"never\"}|valid_to",
        "{\"tags\":[1]}|tags",
        "{\"confidence\":\"x\"}|confidence",
        "{\"content\":5}|content",
        "\"x\"|body",
    })
    void badUpdateNamesTheField(String json, String field) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> OmpJson.read(json, MemoryUpdate.class));
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    @Test
    void genericListRead() {
        List<String> l = OmpJson.read("[\"a\"]", new TypeReference<List<String>>() { });
        assertEquals(List.of("a"), l);
    }
}
