package blog.openmem.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ListQuery;
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
}
