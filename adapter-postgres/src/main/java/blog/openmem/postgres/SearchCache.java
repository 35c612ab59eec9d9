package blog.openmem.postgres;

import blog.openmem.spi.model.Memory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typical users' rows held in memory so a search can be ranked here instead of in the database:
 * the database then only records the audit entry and answers the user's store version (one
 * primary-key read). Versions come from {@code omp_user_versions}, which a trigger bumps in the
 * same transaction as every insert, update or delete of the user's rows (and a truncate bumps
 * the store-wide one), so a write by any process, or by hand, is seen by the next search.
 * Bounded in bytes; least recently searched users leave first.
 */
final class SearchCache {
    /** Users with more rows than this are searched in SQL (exact mode scores this many rows too). */
    static final int MAX_ROWS = 1000;
    /** A too-large user is looked at again after this long. */
    private static final long TOO_LARGE_MILLIS = 600_000;

    /**
     * One stored memory with what ranking needs.
     *
     * @param memory  the memory as a read returns it
     * @param xmin    the row version, to reuse it after another row of the user changed
     * @param vector  its embedding, or null when of another model than the provider's
     * @param norm    the embedding's norm (0 without one)
     * @param lexemes its distinct full-text lexemes ({@code tsvector_to_array(tsv)}), sorted
     * @param prefixBits the lexemes' {@link RowRanking#prefixBits prefix signature}
     * @param bytes   its estimated size in memory, counted against the budget
     */
    record Row(Memory memory, String xmin, float[] vector, double norm, String[] lexemes, long[] prefixBits,
               long bytes) {
        /** A row as read; sorts {@code lexemes} in place. Norm and size are computed once, here. */
        static Row of(Memory memory, String xmin, float[] vector, String[] lexemes) {
            java.util.Arrays.sort(lexemes);
            long bytes = 450 + 2L * memory.content().length() + (vector == null ? 0 : 16 + 4L * vector.length);
            for (String l : lexemes) {
                bytes += 48 + 2L * l.length();
            }
            return new Row(memory, xmin, vector, vector == null ? 0 : Vectors.norm(vector), lexemes,
                    RowRanking.prefixBits(lexemes), bytes);
        }
    }

    /**
     * The store version a user's rows were read at: the user's own and the store-wide one.
     *
     * @param user  from the user's row of {@code omp_user_versions} (0 when none)
     * @param store from the store-wide row (bumped by a truncate; 0 when none)
     */
    record Version(long user, long store) {
    }

    /**
     * A user's rows at a version; {@code rows} null marks a user with more than {@link #MAX_ROWS}.
     */
    record Entry(Version version, List<Row> rows, long bytes, long expiresAt) {
        boolean tooLarge() {
            return rows == null;
        }
    }

    private final long budget;
    private long used;
    private final LinkedHashMap<String, Entry> users = new LinkedHashMap<>(256, 0.75f, true);

    /** @param budget the most bytes held (estimated); 0 disables the cache */
    /** Reads of a user's whole row set into the cache. */
    private final java.util.concurrent.atomic.AtomicLong wholeReads = new java.util.concurrent.atomic.AtomicLong();
    /** Rows read because listed changes touched them since a cache's version. */
    private final java.util.concurrent.atomic.AtomicLong changedReads = new java.util.concurrent.atomic.AtomicLong();

    /** Counts a read of a user's whole row set. */
    void readWhole() {
        wholeReads.incrementAndGet();
    }

    /** Counts rows read because changes touched them. */
    void readChanged(int rows) {
        changedReads.addAndGet(rows);
    }

    /** @return reads of a user's whole row set so far (the expensive refill) */
    long wholeReads() {
        return wholeReads.get();
    }

    /** @return rows read for listed changes so far (the cheap refresh) */
    long changedReads() {
        return changedReads.get();
    }

    SearchCache(long budget) {
        this.budget = budget;
    }

    boolean enabled() {
        return budget > 0;
    }

    /** @return the user's entry, or null; a too-large marker past its time is dropped */
    synchronized Entry get(String userId) {
        Entry e = users.get(userId);
        if (e != null && e.tooLarge() && e.expiresAt() < System.currentTimeMillis()) {
            remove(userId);
            return null;
        }
        return e;
    }

    /** Holds {@code rows} as the user's state at {@code version} (or a too-large marker). */
    synchronized void put(String userId, Version version, List<Row> rows) {
        remove(userId);
        if (rows.size() > MAX_ROWS) {
            add(userId, new Entry(version, null, 200, System.currentTimeMillis() + TOO_LARGE_MILLIS));
            return;
        }
        long bytes = 200;
        for (Row r : rows) {
            bytes += r.bytes();
        }
        if (bytes > budget / 4) {
            return; // one user may not push everyone else out
        }
        add(userId, new Entry(version, List.copyOf(rows), bytes, Long.MAX_VALUE));
    }

    private void add(String userId, Entry e) {
        users.put(userId, e);
        used += e.bytes();
        for (Iterator<Map.Entry<String, Entry>> it = users.entrySet().iterator(); used > budget && it.hasNext(); ) {
            used -= it.next().getValue().bytes();
            it.remove();
        }
    }

    private void remove(String userId) {
        Entry old = users.remove(userId);
        if (old != null) {
            used -= old.bytes();
        }
    }

    synchronized long bytesUsed() {
        return used;
    }

    synchronized int users() {
        return users.size();
    }
}
