package blog.openmem.core.vendor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.model.ListQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** List positions for vendor cursors, and the kit's future helpers. */
class KeysetTest {
    private static final Instant T = Instant.parse("2026-12-03T10:00:00.123456Z");

    @Test
    void afterMeansOlderOrSameTimeWithALowerId() {
        Keyset k = new Keyset(T, "m5");
        assertTrue(k.isAfter(T.minusNanos(1000), "z"));
        assertTrue(k.isAfter(T, "m4"));
        assertFalse(k.isAfter(T, "m5"), "the position itself was returned");
        assertFalse(k.isAfter(T, "m6"));
        assertFalse(k.isAfter(T.plusNanos(1000), "a"));
    }

    @Test
    void aPositionRoundTripsThroughACursorMapAndAFormattedTimeIsReadToo() {
        Keyset k = new Keyset(T, "mem_1");
        assertEquals(k, Keyset.from(k.toMap()));
        assertEquals(k, Keyset.from(Map.of("t", "2026-12-03T10:00:00.123456Z", "id", "mem_1")));
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("t", 1L), Map.of("id", "x"),
                Map.of("t", "yesterday", "id", "x"), Map.of("t", true, "id", "x"), Map.of("t", 1L, "id", 2))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Keyset.from(bad));
            assertTrue(e.getMessage().startsWith("cursor:"));
        }
    }

    @Test
    void aFingerprintChangesWithEveryFilterAndTheGrants() {
        ListQuery q = ListQuery.builder("u").limit(3).build();
        String base = Keyset.fingerprint(q, null);
        assertEquals(base, Keyset.fingerprint(ListQuery.builder("u").limit(9).build(), null), "the limit is not bound");
        assertFalse(base.equals(Keyset.fingerprint(ListQuery.builder("u").tag("t").build(), null)));
        assertFalse(base.equals(Keyset.fingerprint(ListQuery.builder("u").scope("a/*").build(), null)));
        assertFalse(base.equals(Keyset.fingerprint(ListQuery.builder("v").build(), null)));
        assertFalse(base.equals(Keyset.fingerprint(q, List.of())));
    }

    @Test
    void futuresFailWithTheProvidersOwnExceptionAndNotFoundIsEmpty() {
        NotFoundException missing = new NotFoundException("memory 'x' not found");
        CompletableFuture<String> failed = CompletableFuture.<String>failedFuture(missing).thenApply(s -> s);
        assertEquals(missing, Rest.cause(assertThrows(CompletionException.class, failed::join)));
        assertEquals(missing, assertThrows(NotFoundException.class, () -> Rest.join(failed)));
        assertEquals(Optional.empty(), Rest.absentOn404(failed).join());
        assertEquals(Optional.of("v"), Rest.absentOn404(CompletableFuture.completedFuture("v")).join());
        IllegalStateException other = new IllegalStateException("boom");
        assertEquals(other, assertThrows(IllegalStateException.class,
                () -> Rest.join(Rest.absentOn404(CompletableFuture.failedFuture(other)))));
    }
}
