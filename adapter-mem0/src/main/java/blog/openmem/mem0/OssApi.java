package blog.openmem.mem0;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Mem0's self-hosted REST server ({@code server/main.py}): {@code X-API-Key}, no trailing
 * slashes, a synchronous add, {@code GET /memories/{id}} answering {@code null} for an unknown id,
 * updates answering only a message, and lists without paging (at most {@code top_k}, 1 000).
 */
final class OssApi implements Mem0Api {
    /** The most one list answer holds. */
    static final int MAX_LIST = 1000;

    private final ResilientHttpClient http;

    OssApi(ResilientHttpClient http) {
        this.http = http;
    }

    @Override
    public Added add(String text, String userId, ObjectNode metadata, boolean infer, String requestId) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        body.put("user_id", userId);
        body.set("metadata", metadata);
        body.put("infer", infer);
        JsonNode r = http.send(HttpCall.of("POST", "/memories").body(OmpJson.writeBytes(body)).idempotent(false)
                .requestId(requestId).build()).json(JsonNode.class);
        List<String> ids = new ArrayList<>();
        r.path("results").forEach(x -> ids.add(x.path("id").asText()));
        return new Added(ids, null);
    }

    @Override
    public Optional<Mem0Memory> get(String id, String requestId) {
        return Optional.ofNullable(http.send(HttpCall.of("GET", "/memories/" + HttpCall.segment(id))
                .requestId(requestId).build()).stream(Mem0Memory::readOne, "memory"));
    }

    @Override
    public Optional<Mem0Memory> update(String id, String text, ObjectNode metadata, String requestId) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (text != null) {
            body.put("text", text);
        }
        body.set("metadata", metadata);
        boolean found = Rest.absentOn404(() -> http.send(HttpCall.of("PUT", "/memories/" + HttpCall.segment(id))
                .body(OmpJson.writeBytes(body)).requestId(requestId).build())).isPresent();
        // The server answers only a message: read the memory as it now is.
        return found ? get(id, requestId) : Optional.empty();
    }

    @Override
    public boolean delete(String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("DELETE", "/memories/" + HttpCall.segment(id))
                .requestId(requestId).build())).isPresent();
    }

    @Override
    public Page list(ObjectNode filters, String userId, String page, int pageSize, String requestId) {
        return new Page(http.send(HttpCall.of("GET", "/memories").param("user_id", userId).param("top_k", MAX_LIST)
                .requestId(requestId).build()).stream(Mem0Memory::readResults, "memories").results(), null);
    }

    @Override
    public List<Mem0Memory> search(String query, ObjectNode filters, int topK, String requestId) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        body.put("query", query);
        body.set("filters", filters);
        body.put("top_k", topK);
        body.put("threshold", 0.0);
        return http.send(HttpCall.of("POST", "/search").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).stream(Mem0Memory::readResults, "search results").results();
    }

    @Override
    public Optional<JsonNode> event(String id, String requestId) {
        return Optional.empty();
    }

    @Override
    public void ping() {
        // A read of a user that has no memories: answered from the server's own store, no model call.
        http.send(HttpCall.of("GET", "/memories").param("user_id", "omp-health-check").param("top_k", 1).build());
    }

    @Override
    public boolean uuidIds() {
        return false;
    }

    @Override
    public boolean pages() {
        return false;
    }
}
