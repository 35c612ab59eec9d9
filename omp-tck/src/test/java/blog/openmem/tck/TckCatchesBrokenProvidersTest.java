package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Citation;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.ScopeSupport;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import blog.openmem.tck.reference.InMemoryProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Proves the suite can fail: each nested class runs the whole TCK against a provider with one
 * deliberate defect, and the test asserts exactly which checks catch it. (Nested classes are not
 * run by Surefire on their own.)
 */
class TckCatchesBrokenProvidersTest {

    static EngineExecutionResults run(Class<?> suite) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
    }

    static Set<String> failed(EngineExecutionResults r) {
        return r.testEvents().failed().stream().map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> skipped(EngineExecutionResults r) {
        return r.testEvents().skipped().stream().map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> aborted(EngineExecutionResults r) {
        return r.testEvents().aborted().stream().map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    abstract static class Suite extends MemoryProviderContract {
        abstract InMemoryProvider provider();

        @Override
        protected blog.openmem.core.Memory createMemory() {
            return blog.openmem.core.Memory.of(provider());
        }
    }

    /** Search returns every user's memories. */
    static class Leaky extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                protected boolean visibleTo(Memory m, String userId) {
                    return true;
                }
            };
        }
    }

    @Test
    void aProviderLeakingAnotherUsersMemoryFails() {
        Set<String> failed = failed(run(Leaky.class));
        assertTrue(failed.contains("searchNeverReturnsAnotherUsersMemory"), failed::toString);
    }

    /** Builds context natively and ignores the budget. */
    static class OverBudget extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                public Optional<ContextBlock> context(ContextQuery q, CallContext ctx) {
                    List<SearchResult> all = search(q.toSearch(100), ctx);
                    String text = all.stream().map(r -> "- " + r.memory().content() + " [" + r.memory().id() + "]")
                            .collect(Collectors.joining("\n"));
                    return Optional.of(new ContextBlock(text, all.stream()
                            .map(r -> new Citation(r.memory().id(), r.score())).toList(),
                            Math.min(q.tokenBudget(), text.length() / 4)));
                }
            };
        }
    }

    @Test
    void aProviderExceedingTheContextBudgetFails() {
        Set<String> failed = failed(run(OverBudget.class));
        assertTrue(failed.contains("budgetIsNeverExceededAndCitationsMatchTheText"), failed::toString);
    }

    /** Matches scopes by string prefix and would let {@code codingX} through {@code coding}. */
    static class StringPrefixScopes extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                protected boolean inScope(String pattern, String scope) {
                    return scope != null && scope.startsWith(pattern.replace("*", ""));
                }
            };
        }
    }

    @Test
    void aWrongScopeMatcherFails() {
        Set<String> failed = failed(run(StringPrefixScopes.class));
        assertTrue(failed.containsAll(Set.of("scopeTableInList", "scopeTableInSearch")), failed::toString);
    }

    /** Keyset pagination with >= repeats the boundary row. */
    static class RepeatingPages extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                protected boolean afterCursor(Memory m, Memory cursor) {
                    return super.afterCursor(m, cursor) || m.id().equals(cursor.id());
                }
            };
        }
    }

    @Test
    void paginationThatRepeatsRowsFails() {
        Set<String> failed = failed(run(RepeatingPages.class));
        assertTrue(failed.containsAll(Set.of("paginationHasNoDuplicatesOrGaps",
                "paginationUnderConcurrentInsertsNeverRepeatsOrSkipsOldRows")), failed::toString);
    }

    /** Declares supersession but does not filter. */
    static class IgnoresSupersession extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                protected boolean hidesSuperseded() {
                    return false;
                }
            };
        }
    }

    @Test
    void aDeclaredButMissingFeatureFails() {
        Set<String> failed = failed(run(IgnoresSupersession.class));
        assertTrue(failed.containsAll(Set.of("supersededMemoriesAreHiddenUnlessAskedFor",
                "supersessionAddedByUpdateApplies")), failed::toString);
    }

    /** Declares graph queries, which nothing can demonstrate. */
    static class Overclaims extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                public Capabilities capabilities() {
                    Capabilities c = super.capabilities();
                    Features f = c.features();
                    return Capabilities.of(c.provider(), c.verbSet(), new Features(f.vectorSearch(), f.keywordSearch(),
                            true, f.temporal(), f.scopes(), f.maxContentLength(), false, f.supportsAudit(),
                            f.supportsSupersession(), java.util.Map.of("async_ingestion", true)), c.limits());
                }
            };
        }
    }

    @Test
    void anUndemonstrableDeclarationFails() {
        Set<String> failed = failed(run(Overclaims.class));
        assertEquals(Set.of("everyDeclaredFeatureIsDemonstrable"), failed);
    }

    /** A correct provider with fewer capabilities: undeclared areas are skipped and reported. */
    static class AddGetListOnly extends Suite {
        @Override
        InMemoryProvider provider() {
            return new InMemoryProvider() {
                @Override
                public Capabilities capabilities() {
                    return Capabilities.of("minimal", EnumSet.of(Verb.ADD, Verb.GET, Verb.LIST),
                            new Features(false, false, false, false, ScopeSupport.NONE, 500, false, false, false, null),
                            null);
                }
            };
        }
    }

    @Test
    void undeclaredCapabilitiesAreSkippedAndReported() {
        EngineExecutionResults r = run(AddGetListOnly.class);
        assertEquals(Set.of(), failed(r), "a correct minimal provider passes");
        Set<String> notRun = aborted(r);
        assertTrue(notRun.containsAll(Set.of("rankingPutsTheMatchingMemoryFirst", "operationsAreAuditedNewestFirst",
                "budgetIsNeverExceededAndCitationsMatchTheText", "scopeTableInList", "validityWindowsAndAsOf")),
                notRun::toString);
        assertTrue(r.testEvents().succeeded().stream().anyMatch(e -> e.getTestDescriptor().getDisplayName()
                .startsWith("unsupportedVerbsFailBeforeAnyCall")), "gating is demonstrated for the missing verbs");
        assertTrue(skipped(r).isEmpty());
    }

    @Test
    void theReferenceProviderPassesEverything() {
        EngineExecutionResults r = run(InMemoryConformanceTest.class);
        assertEquals(Set.of(), failed(r));
        assertEquals(Set.of("unsupportedVerbsFailBeforeAnyCall"), aborted(r), "it declares every verb");
        assertTrue(r.testEvents().succeeded().count() >= 30);
    }
}
