package blog.openmem.mem0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One of Mem0's two HTTP APIs, as the provider needs it: the calls and their wire forms, nothing of
 * OMP. Memories come back as Mem0's JSON objects ({@code id, memory, user_id, metadata,
 * created_at, updated_at}).
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
    record Page(List<JsonNode> items, String nextPage) {
    }

    Added add(String text, String userId, ObjectNode metadata, boolean infer, String requestId);

    Optional<JsonNode> get(String id, String requestId);

    /** @return the memory after the update, or empty when it does not exist */
    Optional<JsonNode> update(String id, String text, ObjectNode metadata, String requestId);

    /** @return false when it did not exist */
    boolean delete(String id, String requestId);

    /**
     * @param filters  Mem0 filters (platform grammar; the self-hosted server is given only the user)
     * @param userId   the user
     * @param page     the page token, or null for the first
     * @param pageSize items per page
     */
    Page list(ObjectNode filters, String userId, String page, int pageSize, String requestId);

    List<JsonNode> search(String query, ObjectNode filters, int topK, String requestId);

    /** @return the event, or empty when unknown (platform only) */
    Optional<JsonNode> event(String id, String requestId);

    /** A cheap call that proves the API answers and the key is accepted. */
    void ping();

    /** @return whether ids are UUIDs that must be checked before a by-id call (the platform refuses others) */
    boolean uuidIds();

    /** @return whether {@link #list} pages (the self-hosted server returns at most {@code top_k} in one answer) */
    boolean pages();
}
