package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.SourceType;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
    static final OmpFields FULL = new OmpFields("mem_01ÄÖ", "usér 東京 🎉", "coding/préférences/東", List.of("tag ü", "🎉"),
            new MemorySource("app é", SourceType.IMPORTED, "ref/1?x=ü"), 0.25,
            Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("9999-12-31T23:59:59Z"),
            List.of("mem_a", "mem_b"), Instant.parse("0001-01-01T00:00:00Z"),
            Map.of("x-app", Map.of("nested", List.of(1, "two", true, Map.of("k", "v ü"))), "x-n", 3.5));

    /** What a vendor gives back: the same map through JSON (numbers may come back as other types). */
    static Map<String, Object> viaJson(Map<String, Object> m) {
        return OmpJson.read(OmpJson.write(m), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void everyFieldRoundTripsExactly() {
        Map<String, Object> encoded = MetadataCodec.encode(FULL);
        assertEquals(FULL, MetadataCodec.decode(viaJson(encoded)));
        assertEquals(FULL, MetadataCodec.decode(encoded));
    }

    @Test
    void aVendorsJsonMetadataDecodesLikeItsMap() {
        com.fasterxml.jackson.databind.JsonNode tree = OmpJson.toTree(MetadataCodec.encode(FULL));
        assertEquals(FULL, MetadataCodec.decode(MetadataCodec.plain(tree)));
        assertEquals(Map.of(), MetadataCodec.plain(null));
        assertEquals(Map.of(), MetadataCodec.plain(OmpJson.toTree(List.of(1))));
        assertEquals(Map.of("n", 3000000000L, "d", 1.5, "l", List.of("a"), "o", Map.of("b", true)),
                MetadataCodec.plain(OmpJson.toTree(Map.of("n", 3000000000L, "d", 1.5, "l", List.of("a"),
                        "o", Map.of("b", true)))));
    }

    @Test
    void aStreamedValueIsTheSameAsTheTreesView() throws Exception {
        Map<String, Object> odd = Map.of("n", 3000000000L, "i", 7, "d", 1.5, "l", List.of("a", 2), "o",
                Map.of("b", true, "z", false), "s", "\u00e9t\u00e9 \ud83d\ude00");
        // An integer beyond long (written by some other client) must not fail the streamed read.
        byte[] big = "{\"big\": 123456789012345678901234567890, \"neg\": -98765432109876543210}".getBytes();
        for (byte[] json : List.of(OmpJson.writeBytes(MetadataCodec.encode(FULL)), OmpJson.writeBytes(odd), big)) {
            try (com.fasterxml.jackson.core.JsonParser p = OmpJson.reader().createParser(json)) {
                p.nextToken();
                assertEquals(MetadataCodec.plain(OmpJson.reader().readTree(json)), MetadataCodec.plainValue(p));
            }
        }
        try (com.fasterxml.jackson.core.JsonParser p = OmpJson.reader().createParser("{\"a\": [1, }".getBytes())) {
            p.nextToken();
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> MetadataCodec.plainValue(p));
        }
        assertEquals(FULL, MetadataCodec.decode(viaStream(MetadataCodec.encode(FULL))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> viaStream(Map<String, Object> m) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser p = OmpJson.reader().createParser(OmpJson.writeBytes(m))) {
            p.nextToken();
            return (Map<String, Object>) MetadataCodec.plainValue(p);
        }
    }

    @Test
    void eachFieldAloneRoundTrips() {
        List<OmpFields> one = List.of(
                new OmpFields("id", null, null, null, null, null, null, null, null, null, null),
                new OmpFields(null, "u", null, null, null, null, null, null, null, null, null),
                new OmpFields(null, null, "a", null, null, null, null, null, null, null, null),
                new OmpFields(null, null, null, List.of(), null, null, null, null, null, null, null),
                new OmpFields(null, null, null, null, MemorySource.ofApp("a"), null, null, null, null, null, null),
                new OmpFields(null, null, null, null, new MemorySource(null, SourceType.EXPLICIT, null), null, null,
                        null, null, null, null),
                new OmpFields(null, null, null, null, null, 1.0, null, null, null, null, null),
                new OmpFields(null, null, null, null, null, 0.0, null, null, null, null, null),
                new OmpFields(null, null, null, null, null, null, Instant.EPOCH, null, null, null, null),
                new OmpFields(null, null, null, null, null, null, null, Instant.EPOCH, null, null, null),
                new OmpFields(null, null, null, null, null, null, null, null, List.of("m"), null, null),
                new OmpFields(null, null, null, null, null, null, null, null, null, Instant.EPOCH, null),
                new OmpFields(null, null, null, null, null, null, null, null, null, null, Map.of("x-a", "")));
        for (OmpFields f : one) {
            assertEquals(f, MetadataCodec.decode(viaJson(MetadataCodec.encode(f))), f.toString());
        }
    }

    @Test
    void valuesAreFlatAndOfTheKindsVendorsAccept() {
        for (Object v : MetadataCodec.encode(FULL).values()) {
            assertTrue(v instanceof String || v instanceof Number || v instanceof Boolean
                    || (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof String)), String.valueOf(v));
        }
        Map<String, Object> m = MetadataCodec.encode(FULL);
        assertEquals(List.of("coding", "coding/préférences", "coding/préférences/東"), m.get(MetadataCodec.SCOPE_PREFIXES));
        assertEquals(true, m.get(MetadataCodec.HAS_SUPERSEDES));
        assertEquals(1, m.get(MetadataCodec.V));
    }

    @Test
    void foreignKeysAreKeptApartAndNewerVersionsRefused() {
        Map<String, Object> m = new LinkedHashMap<>(MetadataCodec.encode(FULL));
        m.put("category", "travel");
        assertEquals(Map.of("category", "travel"), MetadataCodec.foreign(m));
        assertEquals(FULL, MetadataCodec.decode(m));
        assertFalse(MetadataCodec.isOmp(Map.of("category", "travel")));
        assertEquals(null, MetadataCodec.decode(Map.of("category", "x")).userId());
        m.put(MetadataCodec.V, 2);
        assertThrows(ProviderException.class, () -> MetadataCodec.decode(m));
        assertThrows(ProviderException.class, () -> MetadataCodec.decode(Map.of(MetadataCodec.V, 1,
                MetadataCodec.TAGS, "not a list")));
    }
}
