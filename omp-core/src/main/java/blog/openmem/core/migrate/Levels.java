package blog.openmem.core.migrate;

import blog.openmem.spi.model.Memory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's memories in the order a migration writes them: every memory after the memories it
 * supersedes, so that its {@code supersedes} can name their new ids, whatever order the source gave.
 * Level 0 supersedes none of the user's memories; level n supersedes one of level n-1. A cycle
 * (which no provider should hold) is cut where it closes.
 */
final class Levels {
    private Levels() {
    }

    /**
     * @param memories one user's memories
     * @return them by level, each level in source order
     */
    static List<List<Memory>> of(List<Memory> memories) {
        Map<String, Memory> byId = new HashMap<>();
        memories.forEach(m -> byId.put(m.id(), m));
        Map<String, Integer> level = new HashMap<>();
        List<List<Memory>> out = new ArrayList<>();
        for (Memory m : memories) {
            int l = level(m, byId, level, new java.util.HashSet<>());
            while (out.size() <= l) {
                out.add(new ArrayList<>());
            }
            out.get(l).add(m);
        }
        return out;
    }

    private static int level(Memory m, Map<String, Memory> byId, Map<String, Integer> level,
                             java.util.Set<String> path) {
        Integer known = level.get(m.id());
        if (known != null) {
            return known;
        }
        path.add(m.id());
        int l = 0;
        for (String s : m.supersedes() == null ? List.<String>of() : m.supersedes()) {
            Memory older = byId.get(s);
            if (older != null && !path.contains(s)) {
                l = Math.max(l, level(older, byId, level, path) + 1);
            }
        }
        path.remove(m.id());
        level.put(m.id(), l);
        return l;
    }
}
