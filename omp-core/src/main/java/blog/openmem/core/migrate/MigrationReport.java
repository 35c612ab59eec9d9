package blog.openmem.core.migrate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a migration did (or, in a dry run, would do).
 *
 * @param dryRun        true when nothing was written
 * @param users         users taken (those finished in an earlier run included)
 * @param usersResumed  users skipped because the checkpoint had them as finished
 * @param read          memories read from the source
 * @param written       memories written to the target (in a dry run: that would be written)
 * @param skipped       memories already on the target (their origin found there)
 * @param failures      memories that could not be written, with the reason
 * @param losses        per field, what the target does not hold as the source did, and of how many memories
 * @param mismatches    what the verification pass found different (empty when it found nothing, or did not run)
 * @param verified      memories compared field by field by the verification pass
 * @param elapsed       the run's duration
 */
public record MigrationReport(boolean dryRun, int users, int usersResumed, long read, long written, long skipped,
                              List<Failure> failures, Map<String, Loss> losses, List<String> mismatches, long verified,
                              Duration elapsed) {
    /** Copies the collections. */
    public MigrationReport {
        failures = List.copyOf(failures);
        losses = Map.copyOf(losses);
        mismatches = List.copyOf(mismatches);
    }

    /**
     * A memory that was not written.
     *
     * @param userId   its owner
     * @param sourceId its id at the source
     * @param reason   why
     */
    public record Failure(String userId, String sourceId, String reason) {
    }

    /**
     * What happens to one field.
     *
     * @param what     the effect, in words
     * @param memories how many memories it concerns
     */
    public record Loss(String what, long memories) {
    }

    /** @return memories written per second over the whole run */
    public double rate() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : written / s;
    }

    /** @return true when nothing failed and the verification found no difference */
    public boolean ok() {
        return failures.isEmpty() && mismatches.isEmpty();
    }

    /** @return the report as lines of text */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s%d users (%d finished earlier), %d memories read, %d %s, %d already "
                + "present, %d failed, %.1f s (%.0f memories/s)%n", dryRun ? "dry run: " : "", users, usersResumed, read,
                written, dryRun ? "to write" : "written", skipped, failures.size(), elapsed.toMillis() / 1000.0, rate()));
        losses.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> s.append(String.format(Locale.ROOT,
                "  %s: %s (%d %s)%n", e.getKey(), e.getValue().what(), e.getValue().memories(),
                e.getValue().memories() == 1 ? "memory" : "memories")));
        failures.stream().limit(20).forEach(f -> s.append("  failed: user ").append(f.userId()).append(", ")
                .append(f.sourceId()).append(": ").append(f.reason()).append('\n'));
        if (failures.size() > 20) {
            s.append("  ... and ").append(failures.size() - 20).append(" more failures\n");
        }
        if (verified > 0 || !mismatches.isEmpty()) {
            s.append(mismatches.isEmpty() ? "  verified: counts per user equal, " + verified + " memories equal field by"
                    + " field\n" : "  verification found " + mismatches.size() + " differences:\n");
            mismatches.stream().limit(20).forEach(m -> s.append("    ").append(m).append('\n'));
        }
        return s.toString();
    }
}
