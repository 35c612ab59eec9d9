package blog.openmem.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.Patch;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.Validation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ValidationTest {

    static void fails(String field, Executable e) {
        InvalidRequestException ex = assertThrows(InvalidRequestException.class, e);
        assertTrue(ex.getMessage().startsWith(field + ":"), ex.getMessage());
    }

    @Test
    void inputRules() {
        fails("user_id", () -> Validation.input(MemoryInput.of(" ", "c"), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", "  "), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", null), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", "a\u0000b"), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", "x".repeat(11)), 10));
        assertDoesNotThrow(() -> Validation.input(MemoryInput.of("u", "\uD83D\uDE00".repeat(10)), 10),
                "limits count characters, not UTF-16 units");
        fails("confidence", () -> Validation.input(MemoryInput.builder("u", "c").confidence(1.5).build(), 10));
        fails("confidence", () -> Validation.input(MemoryInput.builder("u", "c").confidence(Double.NaN).build(), 10));
        fails("scope", () -> Validation.input(MemoryInput.builder("u", "c").scope("a/*").build(), 10));
        fails("tags[1]", () -> Validation.input(MemoryInput.builder("u", "c").tags("a", " ").build(), 10));
        fails("valid_to", () -> Validation.input(MemoryInput.builder("u", "c").validFrom(Instant.EPOCH)
                .validTo(Instant.EPOCH).build(), 10));
        fails("items[1].content", () -> Validation.inputs(List.of(MemoryInput.of("u", "c"),
                MemoryInput.of("u", "")), 10));
    }

    @Test
    void updateRules() {
        fails("content", () -> Validation.update(MemoryUpdate.builder().contentPatch(Patch.clear()).build(), 10));
        fails("content", () -> Validation.update(MemoryUpdate.builder().content(" ").build(), 10));
        assertDoesNotThrow(() -> Validation.update(MemoryUpdate.builder().clearScope().clearTags().build(), 10));
    }

    @Test
    void queryRules() {
        fails("limit", () -> Validation.list(ListQuery.builder("u").limit(0).build()));
        fails("limit", () -> Validation.list(ListQuery.builder("u").limit(501).build()));
        fails("user_id", () -> Validation.list(ListQuery.builder("").build()));
        fails("query", () -> Validation.search(SearchQuery.builder("u", " ").build(), 100));
        fails("limit", () -> Validation.search(SearchQuery.builder("u", "q").limit(101).build(), 100));
        fails("min_score", () -> Validation.search(SearchQuery.builder("u", "q").minScore(2.0).build(), 100));
        fails("scope", () -> Validation.search(SearchQuery.builder("u", "q").scope("a*").build(), 100));
        fails("token_budget", () -> Validation.context(ContextQuery.builder("u", "q").tokenBudget(0).build()));
        fails("token_budget", () -> Validation.context(ContextQuery.builder("u", "q").tokenBudget(100_001).build()));
        fails("limit", () -> Validation.audit(new AuditQuery("u", null, null, 1001)));
        assertDoesNotThrow(() -> Validation.audit(AuditQuery.of("u")));
    }

    @Test
    void textMustBeStorableEverywhere() {
        fails("user_id", () -> Validation.input(MemoryInput.of("a\u0000", "c"), 10));
        fails("user_id", () -> Validation.input(MemoryInput.of("a\uD800", "c"), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", "x\uDC00y"), 10));
        fails("content", () -> Validation.input(MemoryInput.of("u", "ends high \uD83D"), 100));
        fails("tags[0]", () -> Validation.input(MemoryInput.builder("u", "c").tags("\uD800").build(), 10));
        fails("source.app", () -> Validation.input(MemoryInput.builder("u", "c")
                .source(blog.openmem.spi.model.MemorySource.ofApp("a\u0000")).build(), 10));
        fails("x-k", () -> Validation.input(MemoryInput.builder("u", "c").extension("x-k",
                java.util.Map.of("a", List.of("b\u0000"))).build(), 10));
        fails("x-", () -> Validation.input(MemoryInput.builder("u", "c").extension("x-\u0000", 1).build(), 10));
        fails("query", () -> Validation.search(SearchQuery.builder("u", "q\uD800").build(), 100));
        fails("tag", () -> Validation.list(ListQuery.builder("u").tag("t\u0000").build()));
        fails("app", () -> Validation.audit(new AuditQuery("u", "a\u0000", null, 10)));
        assertDoesNotThrow(() -> Validation.input(MemoryInput.of("\uD83C\uDF89", "pairs are fine \uD83D\uDE00"), 100));
    }

    @Test
    void extensionValuesAreBounded() {
        Object deep = 1;
        for (int i = 0; i < Validation.MAX_EXTENSION_DEPTH; i++) {
            deep = List.of(deep);
        }
        Object ok = deep;
        assertDoesNotThrow(() -> Validation.input(MemoryInput.builder("u", "c").extension("x-d", ok).build(), 10));
        Object tooDeep = List.of(deep);
        fails("x-d", () -> Validation.input(MemoryInput.builder("u", "c").extension("x-d", tooDeep).build(), 10));
        fails("x-", () -> Validation.input(MemoryInput.builder("u", "c").extension("x-big", "a".repeat(70_000)).build(),
                10));
        MemoryInput.Builder many = MemoryInput.builder("u", "c");
        for (int i = 0; i <= Validation.MAX_EXTENSION_FIELDS; i++) {
            many.extension("x-" + i, i);
        }
        fails("x-", () -> Validation.input(many.build(), 10));
        fails("x-", () -> Validation.input(MemoryInput.builder("u", "c").extension("x-" + "n".repeat(130), 1).build(),
                10));
    }

    @Test
    void listsAndTimesAreBounded() {
        fails("tags", () -> Validation.input(MemoryInput.builder("u", "c").tags(java.util.stream.IntStream.range(0, 101)
                .mapToObj(i -> "t" + i).toArray(String[]::new)).build(), 10));
        fails("tags[0]", () -> Validation.input(MemoryInput.builder("u", "c").tags("t".repeat(257)).build(), 10));
        List<String> ids = java.util.stream.IntStream.range(0, 101).mapToObj(i -> "m" + i).toList();
        fails("supersedes", () -> Validation.input(MemoryInput.builder("u", "c").supersedes(ids).build(), 10));
        fails("supersedes", () -> Validation.update(MemoryUpdate.builder().supersedes(ids).build(), 10));
        fails("valid_from", () -> Validation.input(MemoryInput.builder("u", "c")
                .validFrom(Instant.parse("+10000-01-01T00:00:00Z")).build(), 10));
        fails("as_of", () -> Validation.search(SearchQuery.builder("u", "q").asOf(Instant.MIN).build(), 100));
        fails("since", () -> Validation.list(ListQuery.builder("u").since(Instant.parse("-0001-12-31T00:00:00Z"))
                .build()));
        assertThrows(IllegalArgumentException.class, () -> blog.openmem.spi.json.Timestamps.parse(
                "+10000-01-01T00:00:00Z"));
        assertDoesNotThrow(() -> blog.openmem.spi.json.Timestamps.parse("9999-12-31T23:59:59.999Z"));
    }

    @Test
    void anUpdateMayNotGrowSupersedesPastTheBound() {
        Memory m = Memory.builder().id("m").content("c").userId("u").createdAt(Instant.now())
                .supersedes(java.util.stream.IntStream.range(0, Validation.MAX_SUPERSEDES).mapToObj(i -> "m" + i)
                        .toList()).build();
        fails("supersedes", () -> MemoryUpdate.builder().supersedes(List.of("new")).build().applyTo(m, Instant.now()));
        assertDoesNotThrow(() -> MemoryUpdate.builder().supersedes(List.of("m1")).build().applyTo(m, Instant.now()),
                "ids already there do not count twice");
    }
}
