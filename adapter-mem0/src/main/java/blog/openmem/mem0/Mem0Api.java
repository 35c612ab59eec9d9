package blog.openmem.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One of Mem0's two HTTP APIs, as the provider needs it: the calls and their wire forms, nothing of
 * OMP. Memories come back as Mem0's memory objects ({@link Mem0Memory}), read from the answer as
 * it streams in.
 */
interface Mem0Api {
    /**
     * What an add answered.
     *
     * @param memoryIds the memories stored (synchronous add)
     * @param eventId   the event to poll (asynchronous add), or null
     */
    record Added(List<String> memoryIds, String eventId) {
    }

    /**
     * One page of a list.
     *
     * @param items    memories, newest first
     * @param nextPage the next page's token, or null
     */
    record Page(List<Mem0Memory> items, String nextPage) {
    }

    Added add(String text, String userId, ObjectNode metadata, boolean infer, String requestId);

    Optional<Mem0Memory> get(String id, String requestId);

    /** @return the memory after the update, or empty when it does not exist */
    Optional<Mem0Memory> update(String id, String text, ObjectNode metadata, String requestId);

    /** @return false when it did not exist */
    boolean delete(String id, String requestId);

    /**
     * @param filters  Mem0 filters (platform grammar; the self-hosted server is given only the user)
     * @param userId   the user
     * @param page     the page token, or null for the first
     * @param pageSize items per page
     */
    Page list(ObjectNode filters, String userId, String page, int pageSize, String requestId);

    List<Mem0Memory> search(String query, ObjectNode filters, int topK, String requestId);

    /** @return the event, or empty when unknown (platform only) */
    Optional<JsonNode> event(String id, String requestId);

    /** A cheap call that proves the API answers and the key is accepted. */
    void ping();

    /** @return whether ids are UUIDs that must be checked before a by-id call (the platform refuses others) */
    boolean uuidIds();

    /** @return whether {@link #list} pages (the self-hosted server returns at most {@code top_k} in one answer) */
    boolean pages();
}
