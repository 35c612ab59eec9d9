package blog.openmem.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.scope.ScopePattern;
import blog.openmem.spi.scope.SqlPredicate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "coding, coding, true",
        "coding, coding/preferences, true",
        "coding, coding/a/b, true",
        "coding, codingX, false",
        "coding, code, false",
        "coding/*, coding/preferences, true",
        "coding/*, coding/a/b, true",
        "coding/*, coding, false",
        "*, coding, true",
        "*, a/b/c, true",
        "a_b, axb, false",
        "100%, 100x, false",
        "a\\b, a\\b/c, true",
    })
    void tableOfContract(String pattern, String scope, boolean expected) {
        assertEquals(expected, ScopePattern.parse(pattern).matches(scope));
    }

    @ParameterizedTest
    @ValueSource(strings = {"coding", "coding/*", "*"})
    void unscopedNeverMatches(String pattern) {
        assertFalse(ScopePattern.parse(pattern).matches(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "a//b", "co*ding", "*/a", "a/*/b", "a/**", "**", " a", "a\nb"})
    void malformedPatternsAre400(String pattern) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ScopePattern.parse(pattern));
        assertTrue(e.getMessage().startsWith("scope:"), e.getMessage());
    }

    @Test
    void sqlEscapesWildcards() {
        SqlPredicate p = ScopePattern.parse("a_b%c\\d").toSql("scope");
        assertEquals("(scope = ? OR scope LIKE ? ESCAPE '\\')", p.sql());
        assertEquals(List.of("a_b%c\\d", "a\\_b\\%c\\\\d/%"), p.parameters());
        assertEquals("scope IS NOT NULL", ScopePattern.parse("*").toSql("scope").sql());
        assertEquals(List.of("x/%"), ScopePattern.parse("x/*").toSql("scope").parameters());
        assertEquals("it''s", "it''s", "quotes are bound as parameters, never spliced");
        assertEquals(List.of("it's", "it's/%"), ScopePattern.parse("it's").toSql("s").parameters());
    }

    @ParameterizedTest(name = "{0} within {1} = {2}")
    @CsvSource({
        "coding/a, coding, true",
        "coding, coding, true",
        "coding, coding/*, false",
        "coding/*, coding, true",
        "coding/a/*, coding/*, true",
        "coding/*, coding/*, true",
        "coding, *, true",
        "*, coding, false",
        "health, coding, false",
        "codingX, coding, false",
    })
    void within(String inner, String outer, boolean expected) {
        assertEquals(expected, ScopePattern.parse(inner).isWithin(ScopePattern.parse(outer)));
    }
}
