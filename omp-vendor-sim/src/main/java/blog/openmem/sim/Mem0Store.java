package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The memories of a simulated Mem0 (platform or self-hosted): what both API surfaces read and
 * write. Search scores are the share of the query's words found in the memory, in [0,1] (the
 * simulator has no embeddings; the adapter only relies on scores being in [0,1] and ordered).
 */
final class Mem0Store {
    /** One stored memory. */
    static final class Mem implements Mem0Filters.Target {
        final String id;
        String text;
        final String userId;
        ObjectNode metadata;
        final Instant createdAt;
        Instant updatedAt;

        Mem(String id, String text, String userId, ObjectNode metadata, Instant createdAt) {
            this.id = id;
            this.text = text;
            this.userId = userId;
            this.metadata = metadata;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }

        @Override
        public String entity(String key) {
            return key.equals("user_id") ? userId : null;
        }

        @Override
        public Instant time(String key) {
            return key.equals("updated_at") ? updatedAt : createdAt;
        }

        @Override
        public JsonNode metadata() {
            return metadata;
        }
    }

    final Map<String, Mem> memories = new LinkedHashMap<>();
    /** Each user's memories, as Mem0 indexes them: a filter naming a user reads only theirs. */
    private final Map<String, Map<String, Mem>> byUser = new java.util.HashMap<>();
    private final SimClock clock = new SimClock();

    /** Creation times strictly increase, at microsecond precision, as a database's would. */
    Instant now() {
        return clock.now();
    }

    Mem add(String text, String userId, JsonNode metadata) {
        Mem m = new Mem(UUID.randomUUID().toString(), text, userId,
                metadata != null && metadata.isObject() ? ((ObjectNode) metadata).deepCopy() : null, now());
        memories.put(m.id, m);
        byUser.computeIfAbsent(userId, u -> new LinkedHashMap<>()).put(m.id, m);
        return m;
    }

    Mem remove(String id) {
        Mem m = memories.remove(id);
        if (m != null) {
            Map<String, Mem> own = byUser.get(m.userId);
            if (own != null) {
                own.remove(id);
            }
        }
        return m;
    }

    /** Newest first, as Mem0's lists are. */
    List<Mem> filtered(JsonNode filters) {
        List<Mem> out = new ArrayList<>();
        String user = Mem0Filters.requiredUser(filters);
        java.util.Collection<Mem> candidates = user == null ? memories.values()
                : byUser.getOrDefault(user, Map.of()).values();
        for (Mem m : candidates) {
            if (Mem0Filters.matches(filters, m)) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing((Mem m) -> m.createdAt).thenComparing(m -> m.id).reversed());
        return out;
    }

    static double score(String query, String text) {
        Set<String> q = words(query);
        if (q.isEmpty()) {
            return 0;
        }
        Set<String> t = words(text);
        int hit = 0;
        for (String w : q) {
            if (t.contains(w)) {
                hit++;
            }
        }
        return (double) hit / q.size();
    }

    private static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    static boolean uuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
