package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** CONTRACT §4: the whole scope table, in list and search, with SQL wildcards kept literal. */
public interface ScopeContract extends TckContext {

    /** Adds one memory per scope (null = unscoped) and returns scope label → id. */
    private Map<String, String> seed(String user) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String s : new String[] {"coding", "coding/preferences", "coding/a/b", "codingX", "code", null, "a_b",
            "axb", "100%", "100x", "it's", "back\\slash"}) {
            Memory m = add(MemoryInput.builder(user, "scoped note about widgets in " + s).scope(s).build());
            ids.put(s == null ? "<none>" : s, m.id());
        }
        return ids;
    }

    private Set<String> listed(String user, String pattern, Map<String, String> ids) {
        Map<String, String> byId = ids.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue,
                Map.Entry::getKey));
        return memory().list(ListQuery.builder(user).scope(pattern).limit(100).build()).items().stream()
                .map(m -> byId.get(m.id())).collect(Collectors.toSet());
    }

    /** Checks: scope table in list. */
    @Test
    default void scopeTableInList() {
        requireVerbs(Verb.ADD, Verb.LIST);
        requireFeature("scopes", capabilities().features().effectiveScopes() != ScopeSupport.NONE);
        String user = newUser();
        Map<String, String> ids = seed(user);
        assertEquals(Set.of("coding", "coding/preferences", "coding/a/b"), listed(user, "coding", ids));
        assertEquals(Set.of("coding/preferences", "coding/a/b"), listed(user, "coding/*", ids));
        Set<String> scoped = new HashSet<>(ids.keySet());
        scoped.remove("<none>");
        assertEquals(scoped, listed(user, "*", ids), "* is every scoped memory, never the unscoped one");
        assertEquals(ids.keySet(), listed(user, null, ids), "no filter returns the unscoped one too");
        assertEquals(Set.of("a_b"), listed(user, "a_b", ids), "_ is not a wildcard");
        assertEquals(Set.of("100%"), listed(user, "100%", ids), "% is not a wildcard");
        assertEquals(Set.of("it's"), listed(user, "it's", ids), "quotes are data");
        assertEquals(Set.of("back\\slash"), listed(user, "back\\slash", ids), "backslash is data");
        assertEquals(Set.of(), listed(user, "cod", ids), "segment prefix, not string prefix");
    }

    /** Checks: scope table in search. */
    @Test
    default void scopeTableInSearch() {
        requireVerbs(Verb.ADD, Verb.SEARCH);
        requireFeature("scopes", capabilities().features().effectiveScopes() != ScopeSupport.NONE);
        String user = newUser();
        Map<String, String> ids = seed(user);
        Map<String, String> byId = ids.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue,
                Map.Entry::getKey));
        for (Map.Entry<String, Set<String>> c : Map.of(
                "coding", Set.of("coding", "coding/preferences", "coding/a/b"),
                "coding/*", Set.of("coding/preferences", "coding/a/b"),
                "a_b", Set.of("a_b")).entrySet()) {
            Set<String> found = memory().search(SearchQuery.builder(user, "scoped note about widgets")
                    .scope(c.getKey()).limit(50).build()).stream().map(SearchResult::memory)
                    .map(m -> byId.get(m.id())).collect(Collectors.toSet());
            assertTrue(c.getValue().containsAll(found), () -> "search with scope " + c.getKey()
                    + " returned memories outside it: " + found);
            assertEquals(c.getValue(), found, "search with scope " + c.getKey());
        }
    }
}
