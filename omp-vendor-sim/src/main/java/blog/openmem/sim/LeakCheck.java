package blog.openmem.sim;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Watches for a secret (a vendor key) in everything a client shows: every log record of the
 * project's loggers at any level while open, and the messages, stack traces and {@code toString()}
 * of what a test hands it. Close it, then {@link #assertNothingLeaked()}.
 *
 * <p>The project logs through SLF4J; a test class path routes it to {@code java.util.logging}
 * with {@code org.slf4j:slf4j-jdk14}, where this check listens. Without that route nothing would be
 * seen and every check would pass, so a check that does not hear its own test record fails at once.
 */
public final class LeakCheck implements AutoCloseable {
    private final String secret;
    private final Logger root = Logger.getLogger("blog.openmem");
    private final Level before;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        private final SimpleFormatter fmt = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            seen.add(fmt.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LeakCheck(String secret) {
        this.secret = secret;
        this.before = root.getLevel();
        root.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        String probe = "leak check listening " + System.nanoTime();
        LoggerFactory.getLogger("blog.openmem.leakcheck").debug(probe);
        if (seen.stream().noneMatch(line -> line.contains(probe))) {
            close();
            throw new IllegalStateException("LeakCheck: SLF4J logging does not reach java.util.logging; add"
                    + " org.slf4j:slf4j-jdk14 (test scope) as the only SLF4J provider of this test class path");
        }
        seen.clear();
    }

    /**
     * @param secret the value that must never show
     * @return a check that records the project's logs from now until closed
     */
    public static LeakCheck watching(String secret) {
        return new LeakCheck(secret);
    }

    /**
     * Records a failure's message and stack trace (causes included).
     *
     * @param t   the failure
     * @param <T> its type
     * @return it
     */
    public <T extends Throwable> T failure(T t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        seen.add(t + "\n" + sw);
        return t;
    }

    /** @param shown an object whose {@code toString()} a user could print */
    public void shown(Object shown) {
        seen.add(String.valueOf(shown));
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setLevel(before);
    }

    /** @throws AssertionError naming where the secret showed */
    public void assertNothingLeaked() {
        for (String s : seen) {
            if (s.contains(secret)) {
                throw new AssertionError("the secret leaked in:\n" + s);
            }
        }
    }
}
