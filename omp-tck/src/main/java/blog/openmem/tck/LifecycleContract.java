package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SourceType;
import blog.openmem.spi.model.Verb;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CONTRACT §2-§3: add, get, update and delete, with D-2, D-10 and D-12. */
public interface LifecycleContract extends TckContext {

    /** Checks: add assigns id timestamp and status and keeps every field. */
    @Test
    default void addAssignsIdTimestampAndStatusAndKeepsEveryField() {
        requireVerbs(Verb.ADD, Verb.GET);
        String user = newUser();
        Instant before = Instant.now().minus(Duration.ofMinutes(5));
        Instant validFrom = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant validTo = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        MemoryInput in = MemoryInput.builder(user, "User prefers pnpm over npm")
                .scope(capabilities().features().effectiveScopes() == blog.openmem.spi.model.ScopeSupport.NONE
                        ? null : "coding/preferences")
                .tags("tooling", "js")
                .source(new MemorySource("tck", SourceType.EXPLICIT, "chat:42"))
                .confidence(0.75).validFrom(validFrom).validTo(validTo).build();
        Memory m = memory().add(in);
        assertNotNull(m.id());
        assertFalse(m.id().isBlank());
        assertEquals(user, m.userId());
        assertEquals("User prefers pnpm over npm", m.content());
        assertNotNull(m.createdAt(), "created_at is set by the provider");
        assertTrue(m.createdAt().isAfter(before) && m.createdAt().isBefore(Instant.now().plus(Duration.ofMinutes(5))),
                "created_at is now, in UTC: " + m.createdAt());
        assertNotNull(m.status(), "status is reported (D-7)");
        Memory got = settle(m);
        assertEquals(MemoryStatus.DONE, got.status() == null ? MemoryStatus.DONE : got.status());
        got = memory().get(m.id());
        assertEquals(m.id(), got.id());
        assertEquals(in.content(), got.content());
        assertEquals(in.scope(), got.scope());
        assertEquals(List.of("tooling", "js"), got.tags());
        assertEquals("tck", got.source().app());
        assertEquals(SourceType.EXPLICIT, got.source().type());
        assertEquals("chat:42", got.source().ref());
        assertEquals(0.75, got.confidence(), 1e-9);
        assertEquals(validFrom, got.validFrom());
        assertEquals(validTo, got.validTo());
        assertEquals(m.createdAt(), got.createdAt());
    }

    /** Checks: get is confined to the owner when one is named. */
    @Test
    default void getIsConfinedToTheOwnerWhenOneIsNamed() {
        requireVerbs(Verb.ADD, Verb.GET);
        String alice = newUser();
        Memory m = add(alice, "alice's private note");
        assertEquals(m.id(), memory().get(m.id(), alice).id());
        assertThrows(NotFoundException.class, () -> memory().get(m.id(), newUser()), "D-2: never a leak");
        assertThrows(NotFoundException.class, () -> memory().get("mem_does_not_exist_" + alice));
    }

    /** Checks: update changes only what it names. */
    @Test
    default void updateChangesOnlyWhatItNames() {
        requireVerbs(Verb.ADD, Verb.UPDATE, Verb.GET);
        boolean scopes = capabilities().features().effectiveScopes() != blog.openmem.spi.model.ScopeSupport.NONE;
        String user = newUser();
        Memory m = add(MemoryInput.builder(user, "likes green tea").scope(scopes ? "food" : null).tags("drinks")
                .confidence(0.5).supersedes("mem_old_1").build());
        Memory u = settle(memory().update(m.id(), user, MemoryUpdate.builder().content("likes oolong tea")
                .clearConfidence().supersedes(List.of("mem_old_2")).build()));
        assertEquals("likes oolong tea", u.content());
        assertNull(u.confidence(), "explicit null clears (D-10)");
        assertEquals(List.of("drinks"), u.tags(), "absent leaves unchanged");
        assertEquals(m.scope(), u.scope());
        assertEquals(List.of("mem_old_1", "mem_old_2"), u.supersedes(), "supersedes is appended");
        assertEquals(user, u.userId());
        assertEquals(m.createdAt(), u.createdAt());
        assertNotNull(u.updatedAt(), "updated_at is set on every update");
        assertFalse(u.updatedAt().isBefore(m.createdAt()));
        if (scopes) {
            Memory cleared = memory().update(m.id(), MemoryUpdate.builder().clearScope().clearTags().build());
            assertNull(cleared.scope());
            assertTrue(cleared.tags() == null || cleared.tags().isEmpty());
        }
        Memory again = memory().get(m.id());
        assertEquals("likes oolong tea", again.content());
    }

    /** Checks: update and delete of another users memory are not found and change nothing. */
    @Test
    default void updateAndDeleteOfAnotherUsersMemoryAreNotFoundAndChangeNothing() {
        requireVerbs(Verb.ADD, Verb.GET);
        String alice = newUser();
        Memory m = add(alice, "alice's original");
        if (capabilities().supports(Verb.UPDATE)) {
            assertThrows(NotFoundException.class, () -> memory().update(m.id(), newUser(),
                    MemoryUpdate.builder().content("hijacked").build()));
            assertThrows(NotFoundException.class, () -> memory().update("mem_missing_" + alice,
                    MemoryUpdate.builder().content("x").build()));
        }
        if (capabilities().supports(Verb.DELETE)) {
            assertThrows(NotFoundException.class, () -> memory().delete(m.id(), newUser()));
        }
        assertEquals("alice's original", memory().get(m.id(), alice).content());
    }

    /** Checks: an idempotent add creates at most one memory per user and key. */
    @Test
    default void idempotentAddCreatesAtMostOneMemory() {
        requireVerbs(Verb.ADD, Verb.GET);
        requireFeature("idempotent_add", Boolean.TRUE.equals(capabilities().features().extra().get("idempotent_add")));
        String user = newUser();
        String key = "tck-" + java.util.UUID.randomUUID();
        var first = memory().addIdempotent(MemoryInput.of(user, "paid invoice 42"), key);
        var again = memory().addIdempotent(MemoryInput.of(user, "paid invoice 42"), key);
        assertTrue(first.created());
        assertFalse(again.created(), "the repeat creates nothing");
        assertEquals(first.memory().id(), again.memory().id());
        var other = memory().addIdempotent(MemoryInput.of(newUser(), "paid invoice 42"), key);
        assertTrue(other.created(), "keys are per user");
        if (capabilities().supports(Verb.LIST)) {
            assertEquals(1, memory().list(user).items().size());
        }
        assertInvalid("Idempotency-Key", () -> memory().addIdempotent(MemoryInput.of(user, "x"), "has space"));
    }

    /** Checks: delete is hard and a second delete is not found. */
    @Test
    default void deleteIsHardAndASecondDeleteIsNotFound() {
        requireVerbs(Verb.ADD, Verb.DELETE, Verb.GET);
        String user = newUser();
        Memory m = add(user, "to be forgotten");
        memory().delete(m.id(), user);
        assertThrows(NotFoundException.class, () -> memory().get(m.id()));
        NotFoundException again = assertThrows(NotFoundException.class, () -> memory().delete(m.id()), "D-12");
        assertEquals(404, again.httpStatus());
    }

    /** Checks: extension fields round trip. */
    @Test
    default void extensionFieldsRoundTrip() {
        requireVerbs(Verb.ADD, Verb.GET);
        Map<String, Object> ext = Map.of("nested", List.of(1, "two", Map.of("three", true)), "n", 1.5);
        Memory m = add(MemoryInput.builder(newUser(), "with extensions").extension("x-tck", ext).build());
        assertEquals(ext, m.extensions().get("x-tck"), "returned by add");
        assertEquals(ext, memory().get(m.id()).extensions().get("x-tck"), "returned by get");
    }

    /** Checks: unicode emoji and maximum length content round trip. */
    @Test
    default void unicodeEmojiAndMaximumLengthContentRoundTrip() {
        requireVerbs(Verb.ADD, Verb.GET);
        String user = newUser();
        String unicode = "Zoë lives in 東京 🎉 👩‍👩‍👧 ‮rtl‬ \"quotes\" 'single' \\back\\slash % _ \t tab";
        assertEquals(unicode, memory().get(add(user, unicode).id()).content());
        int max = capabilities().features().effectiveMaxContentLength();
        StringBuilder sb = new StringBuilder();
        String[] parts = {"a", "é", "東", "🎉", " "};
        int i = 0;
        while (sb.codePointCount(0, sb.length()) < max) {
            sb.append(parts[i++ % parts.length]);
        }
        String longest = sb.toString().replaceFirst("^ +", "x");
        Memory big = add(user, longest);
        assertEquals(longest, memory().get(big.id()).content(), "content of exactly max_content_length characters");
        assertInvalid("content", () -> memory().add(user, longest + "x"));
    }

    /** Checks: invalid arguments are 4 0 0s naming the field. */
    @Test
    default void invalidArgumentsAre400sNamingTheField() {
        requireVerbs(Verb.ADD);
        String user = newUser();
        assertInvalid("user_id", () -> memory().add(" ", "content"));
        assertInvalid("content", () -> memory().add(user, "   "));
        assertInvalid("confidence", () -> memory().add(MemoryInput.builder(user, "c").confidence(1.01).build()));
        assertInvalid("confidence", () -> memory().add(MemoryInput.builder(user, "c").confidence(-0.1).build()));
        assertInvalid("scope", () -> memory().add(MemoryInput.builder(user, "c").scope("a//b").build()));
        assertInvalid("scope", () -> memory().add(MemoryInput.builder(user, "c").scope("/a").build()));
        assertInvalid("tags[0]", () -> memory().add(MemoryInput.builder(user, "c").tags(" ").build()));
        assertInvalid("valid_to", () -> memory().add(MemoryInput.builder(user, "c").validFrom(Instant.now())
                .validTo(Instant.now().minusSeconds(60)).build()));
        if (capabilities().supports(Verb.UPDATE)) {
            assertInvalid("content", () -> memory().update("any", MemoryUpdate.builder()
                    .contentPatch(blog.openmem.spi.model.Patch.clear()).build()));
        }
        if (capabilities().supports(Verb.SEARCH)) {
            assertInvalid("query", () -> memory().search(user, " "));
            assertInvalid("limit", () -> memory().search(blog.openmem.spi.model.SearchQuery.builder(user, "q")
                    .limit(0).build()));
            assertInvalid("min_score", () -> memory().search(blog.openmem.spi.model.SearchQuery.builder(user, "q")
                    .minScore(1.5).build()));
        }
        if (capabilities().supports(Verb.LIST)) {
            assertInvalid("limit", () -> memory().list(blog.openmem.spi.model.ListQuery.builder(user).limit(501)
                    .build()));
            assertInvalid("scope", () -> memory().list(blog.openmem.spi.model.ListQuery.builder(user)
                    .scope("co*ding").build()));
        }
        if (capabilities().supports(Verb.CONTEXT)) {
            assertInvalid("token_budget", () -> memory().context(user, "q", 0));
        }
        if (capabilities().supports(Verb.LIST)) {
            assertEquals(0, memory().list(user).items().size(), "nothing was stored by the rejected calls");
        }
    }
}
