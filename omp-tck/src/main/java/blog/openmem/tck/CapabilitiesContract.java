package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTRACT §7: capabilities are well formed, and nothing is declared that the suite cannot prove. */
public interface CapabilitiesContract extends TckContext {

    /** Flags this suite demonstrates itself. */
    List<String> DEMONSTRATED = List.of("vector_search", "keyword_search", "temporal", "supports_audit",
            "supports_supersession", "idempotent_add", Features.LIST_USERS, Features.EXPORT,
            Features.KEEPS_CREATED_AT);

    /** Checks: capabilities are well formed. */
    @Test
    default void capabilitiesAreWellFormed() {
        Capabilities c = capabilities();
        assertEquals("0.1", c.ompVersion());
        assertNotNull(c.provider());
        assertFalse(c.provider().isBlank());
        assertFalse(c.verbs().isEmpty(), "a provider declares at least one verb");
        for (String v : c.verbs()) {
            try {
                Verb.fromWire(v);
            } catch (IllegalArgumentException e) {
                fail("declared verb '" + v + "' is not an OMP 0.1 verb the suite can demonstrate");
            }
        }
        Features f = c.features();
        assertEquals(f.supportsAudit(), c.supports(Verb.AUDIT), "supports_audit and the audit verb must agree");
        assertTrue(f.effectiveMaxContentLength() >= 1);
        assertTrue(c.limits().effectiveMaxSearchResults() >= 1);
        assertSame(c, memory().capabilities(), "capabilities are cached per client");
    }

    /** Checks: every declared feature is demonstrable. */
    @Test
    default void everyDeclaredFeatureIsDemonstrable() {
        Features f = capabilities().features();
        List<String> undemonstrable = new ArrayList<>();
        if (f.graphQueries()) {
            undemonstrable.add("graph_queries");
        }
        if (f.supportsE2e()) {
            undemonstrable.add("supports_e2e");
        }
        for (Map.Entry<String, Object> e : f.extra().entrySet()) {
            if (Boolean.TRUE.equals(e.getValue()) && !DEMONSTRATED.contains(e.getKey())
                    && !featuresDemonstratedElsewhere().contains(e.getKey())) {
                undemonstrable.add(e.getKey());
            }
        }
        assertTrue(undemonstrable.isEmpty(), () -> "declared features this suite cannot demonstrate: " + undemonstrable
                + " (list them in featuresDemonstratedElsewhere() only if the adapter's own tests prove them)");
        if (f.vectorSearch() || f.keywordSearch()) {
            assertTrue(capabilities().supports(Verb.SEARCH), "a search feature without the search verb");
        }
        if (f.supportsSupersession() || f.temporal()) {
            assertTrue(capabilities().supports(Verb.SEARCH) || capabilities().supports(Verb.CONTEXT),
                    "supersession/temporal filtering applies to search and context");
        }
    }
}
