package blog.openmem.core.migrate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A migration's running totals, added to by the users' threads. */
final class Tally {
    private long read;
    private long written;
    private long skipped;
    private long verified;
    private final List<MigrationReport.Failure> failures = new ArrayList<>();
    private final Map<String, MigrationReport.Loss> losses = new LinkedHashMap<>();
    private final List<String> mismatches = new ArrayList<>();

    synchronized void read(long n) {
        read += n;
    }

    synchronized void written(long n) {
        written += n;
    }

    synchronized void skipped(long n) {
        skipped += n;
    }

    synchronized void verified(long n) {
        verified += n;
    }

    synchronized void failed(MigrationReport.Failure f) {
        failures.add(f);
    }

    synchronized void mismatch(String what) {
        mismatches.add(what);
    }

    /** Counts one memory under each of its field losses (the latest wording of a field wins). */
    synchronized void losses(Map<String, String> fieldLosses) {
        fieldLosses.forEach((field, what) -> {
            MigrationReport.Loss before = losses.get(field);
            losses.put(field, new MigrationReport.Loss(what, before == null ? 1 : before.memories() + 1));
        });
    }

    /**
     * Adds a user's finished attempt. Memories an earlier, interrupted attempt wrote were found
     * already present by this one: they count as written, not as present.
     *
     * @param user          the attempt's tally
     * @param writtenBefore memories the user's interrupted attempts wrote
     */
    void add(Tally user, long writtenBefore) {
        synchronized (user) {
            synchronized (this) {
                read += user.read;
                written += user.written + writtenBefore;
                skipped += user.skipped - writtenBefore;
                verified += user.verified;
                failures.addAll(user.failures);
                mismatches.addAll(user.mismatches);
                user.losses.forEach((field, loss) -> {
                    MigrationReport.Loss before = losses.get(field);
                    losses.put(field, new MigrationReport.Loss(loss.what(),
                            (before == null ? 0 : before.memories()) + loss.memories()));
                });
            }
        }
    }

    /** @return memories written so far */
    synchronized long written() {
        return written;
    }

    synchronized MigrationReport report(boolean dryRun, int users, int resumed, Duration elapsed) {
        return new MigrationReport(dryRun, users, resumed, read, written, skipped, failures, losses, mismatches,
                verified, elapsed);
    }
}
