package blog.openmem.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact mode's decoded vectors, keyed by memory id and validated by the row's version
 * ({@code xmin}, which PostgreSQL changes on every update of the row, re-embedding included), so
 * another process writing to the same store can never make it serve a stale vector. Bounded: when
 * full it starts over (a search then reads the vectors it needs again), which keeps it simple and
 * lock-free; deleted rows' entries go with the next reset.
 */
final class VectorCache {
    private record Entry(String version, float[] vector) {
    }

    private final int capacity;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param capacity the most vectors held (0: nothing is cached) */
    VectorCache(int capacity) {
        this.capacity = capacity;
    }

    /** @return the vector of row {@code id} at {@code version}, or null when not held at that version */
    float[] get(String id, String version) {
        Entry e = entries.get(id);
        return e != null && e.version().equals(version) ? e.vector() : null;
    }

    void put(String id, String version, float[] vector) {
        if (capacity <= 0) {
            return;
        }
        if (entries.size() >= capacity && !entries.containsKey(id)) {
            entries.clear();
        }
        entries.put(id, new Entry(version, vector));
    }

    int size() {
        return entries.size();
    }
}
