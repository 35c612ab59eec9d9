package blog.openmem.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The check itself finds the secret wherever it shows. */
class LeakCheckTest {
    @Test
    void findsTheSecretInALogRecordAFailureOrAShownObject() {
        try (LeakCheck leaks = LeakCheck.watching("s3cret")) {
            LoggerFactory.getLogger("blog.openmem.test").debug("key {} sent", "s3cret");
            assertThrows(AssertionError.class, leaks::assertNothingLeaked);
        }
        LeakCheck failure = LeakCheck.watching("s3cret");
        failure.close();
        failure.failure(new IllegalStateException("outer", new RuntimeException("cause holds s3cret")));
        assertThrows(AssertionError.class, failure::assertNothingLeaked);
        LeakCheck shown = LeakCheck.watching("s3cret");
        shown.close();
        shown.shown(new Object() {
            @Override
            public String toString() {
                return "Client[s3cret]";
            }
        });
        assertThrows(AssertionError.class, shown::assertNothingLeaked);
        LeakCheck clean = LeakCheck.watching("s3cret");
        clean.close();
        clean.shown("nothing here");
        clean.assertNothingLeaked();
    }
}
