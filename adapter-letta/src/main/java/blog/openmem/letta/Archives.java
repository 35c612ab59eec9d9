package blog.openmem.letta;

import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each OMP user's archive, named {@code omp-user:<user id>} and found again by that exact name, so
 * that another process or a restarted one finds the same memories. Letta does not keep names unique:
 * when processes race to create a user's archive, each lists the name again after its create and
 * all adopt the same one, the oldest (creation time, then id); a process whose new archive lost
 * deletes it before writing anything to it. The cache only saves the lookup; Letta is the truth.
 */
final class Archives {
    /** The prefix of every archive name this adapter gives. */
    static final String PREFIX = "omp-user:";
    private static final Comparator<JsonNode> OLDEST = Comparator
            .comparing((JsonNode a) -> Timestamps.parse(a.path("created_at").asText()))
            .thenComparing(a -> a.path("id").asText());

    private final LettaApi api;
    private final String embedding;
    private final ConcurrentHashMap<String, String> ids = new ConcurrentHashMap<>();

    Archives(LettaApi api, String embedding) {
        this.api = api;
        this.embedding = embedding;
    }

    /** @return the user's archive id, if the user has one */
    Optional<String> find(String userId, String requestId) {
        String known = ids.get(userId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<String> found = oldest(api.archivesNamed(PREFIX + userId, requestId));
        found.ifPresent(id -> ids.put(userId, id));
        return found;
    }

    /** @return the user's archive id, created if the user has none */
    String findOrCreate(String userId, String requestId) {
        Optional<String> found = find(userId, requestId);
        if (found.isPresent()) {
            return found.get();
        }
        String mine = api.createArchive(PREFIX + userId, embedding, requestId).path("id").asText();
        // Another process may have created one too: all adopt the oldest.
        String winner = oldest(api.archivesNamed(PREFIX + userId, requestId)).orElse(mine);
        if (!winner.equals(mine)) {
            api.deleteArchive(mine, requestId); // empty: nothing was written to it
        }
        ids.put(userId, winner);
        return winner;
    }

    /** Forgets a cached archive that Letta no longer has. */
    void forget(String userId) {
        ids.remove(userId);
    }

    private static Optional<String> oldest(List<JsonNode> archives) {
        return archives.stream().min(OLDEST).map(a -> a.path("id").asText());
    }

}
