package blog.openmem.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryStatus;
import blog.openmem.spi.model.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;

/**
 * What every part of the suite needs: the client under test, its capabilities and helpers.
 * Implemented by {@link MemoryProviderContract}; adapters extend that class.
 */
public interface TckContext {

    /** @return the client under test, created once per test class */
    blog.openmem.core.Memory memory();

    /** @return the provider's (cached) capabilities */
    default Capabilities capabilities() {
        return memory().capabilities();
    }

    /**
     * @return boolean feature flags outside the published ones that the adapter's own tests
     *     demonstrate; any other extra flag declared true fails the suite
     */
    default Set<String> featuresDemonstratedElsewhere() {
        return Set.of();
    }

    /** @return how long to wait for an asynchronous provider to finish ingesting */
    default Duration ingestionTimeout() {
        return Duration.ofSeconds(60);
    }

    /** @return a fresh user id, so tests never see each other's data on a shared backend */
    default String newUser() {
        return "tck-" + UUID.randomUUID();
    }

    /**
     * Skips the calling test, reported as such, unless every verb is declared.
     *
     * @param verbs the verbs the test needs
     */
    default void requireVerbs(Verb... verbs) {
        for (Verb v : verbs) {
            assumeTrue(capabilities().supports(v), () -> "provider does not declare the verb '" + v.wireName() + "'");
        }
    }

    /**
     * Skips the calling test unless a feature is declared.
     *
     * @param name     the feature name, for the report
     * @param declared whether it is declared
     */
    default void requireFeature(String name, boolean declared) {
        assumeTrue(declared, () -> "provider does not declare the feature '" + name + "'");
    }

    /**
     * Adds and waits until the memory is searchable.
     *
     * @param input the input
     * @return the stored memory
     */
    default Memory add(MemoryInput input) {
        return settle(memory().add(input));
    }

    /**
     * @param userId  the owner
     * @param content the text
     * @return the stored memory
     */
    default Memory add(String userId, String content) {
        return add(MemoryInput.of(userId, content));
    }

    /**
     * Waits for an asynchronous provider's {@code done} (CONTRACT §11); returns synchronous
     * providers' memories at once.
     *
     * @param m a memory as returned by add
     * @return the memory once done
     */
    default Memory settle(Memory m) {
        if (m.status() == null || m.status() == MemoryStatus.DONE) {
            return m;
        }
        long deadline = System.nanoTime() + ingestionTimeout().toNanos();
        long sleep = 50;
        while (System.nanoTime() < deadline) {
            Memory now = memory().get(m.id(), m.userId());
            if (now.status() == null || now.status() == MemoryStatus.DONE) {
                return now;
            }
            if (now.status() == MemoryStatus.FAILED) {
                fail("ingestion of " + m.id() + " failed at the provider");
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            sleep = Math.min(1000, sleep * 2);
        }
        return fail("memory " + m.id() + " not done after " + ingestionTimeout());
    }

    /**
     * Asserts a 400 whose message names the field.
     *
     * @param field the field the message must start with
     * @param call  the call
     */
    default void assertInvalid(String field, Executable call) {
        InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class, call);
        assertEquals("invalid_request", e.code());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().startsWith(field + ":"), () -> "message should name '" + field + "': "
                + e.getMessage());
    }

    /**
     * @param memories memories
     * @return their ids
     */
    static List<String> ids(List<Memory> memories) {
        return memories.stream().map(Memory::id).toList();
    }
}
