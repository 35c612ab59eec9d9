package blog.openmem.postgres;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A value read from the database and re-read at most once per period, by one caller: the others
 * keep using the previous value meanwhile instead of all running the same query at once (under
 * load, every search thread saw the same expiry and ran it — 40 times in 20 s for one check).
 * The first read is made by whoever comes first while the others wait for it, so nobody sees a
 * value that was never loaded.
 *
 * @param <T> the value
 */
final class Refreshed<T> {
    /** Reads the value. */
    @FunctionalInterface
    interface Loader<T> {
        T load() throws SQLException;
    }

    private final long periodMillis;
    private final AtomicLong dueAt = new AtomicLong();
    private volatile T value;
    private volatile boolean loaded;

    Refreshed(long periodMillis) {
        this.periodMillis = periodMillis;
    }

    /** @return the current value, re-read first by this caller if it is due and no one else is at it */
    T get(Loader<T> loader) throws SQLException {
        if (!loaded) {
            synchronized (this) {
                if (!loaded) {
                    value = loader.load();
                    dueAt.set(System.currentTimeMillis() + periodMillis);
                    loaded = true;
                }
                return value;
            }
        }
        long due = dueAt.get();
        long now = System.currentTimeMillis();
        if (now >= due && dueAt.compareAndSet(due, now + periodMillis)) {
            try {
                value = loader.load();
            } catch (SQLException | RuntimeException e) {
                dueAt.set(0); // the next caller tries again
                throw e;
            }
        }
        return value;
    }

    /** Makes the next {@link #get} re-read the value. */
    void expire() {
        dueAt.set(0);
    }
}
