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
 * Mem0's hosted platform API (api.mem0.ai), as its SDKs call it: v3 for add, list and search, v1
 * for by-id calls and events, every path with its trailing slash, {@code Authorization: Token}.
 */
final class PlatformApi implements Mem0Api {
    private final ResilientHttpClient http;

    PlatformApi(ResilientHttpClient http) {
        this.http = http;
    }

    private static ObjectNode object() {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    @Override
    public Added add(String text, String userId, ObjectNode metadata, boolean infer, String requestId) {
        ObjectNode body = object();
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        body.put("user_id", userId);
        body.set("metadata", metadata);
        body.put("infer", infer);
        // Not retried: Mem0 keeps no idempotency keys, so a repeated add would store twice.
        JsonNode r = http.send(HttpCall.of("POST", "/v3/memories/add/").body(OmpJson.writeBytes(body))
                .idempotent(false).requestId(requestId).build()).json(JsonNode.class);
        List<String> ids = new ArrayList<>();
        r.path("results").forEach(x -> ids.add(x.path("id").asText()));
        String event = infer && r.path("event_id").isTextual() ? r.path("event_id").asText() : null;
        return new Added(ids, event);
    }

    @Override
    public Optional<Mem0Memory> get(String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("GET", "/v1/memories/" + HttpCall.segment(id) + "/")
                .requestId(requestId).build()).stream(Mem0Memory::readOne, "memory"));
    }

    @Override
    public Optional<Mem0Memory> update(String id, String text, ObjectNode metadata, String requestId) {
        ObjectNode body = object();
        if (text != null) {
            body.put("text", text);
        }
        body.set("metadata", metadata);
        return Rest.absentOn404(() -> http.send(HttpCall.of("PUT", "/v1/memories/" + HttpCall.segment(id) + "/")
                .body(OmpJson.writeBytes(body)).requestId(requestId).build()).stream(Mem0Memory::readOne, "memory"));
    }

    @Override
    public boolean delete(String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("DELETE", "/v1/memories/" + HttpCall.segment(id) + "/")
                .requestId(requestId).build())).isPresent();
    }

    @Override
    public Page list(ObjectNode filters, String userId, String page, int pageSize, String requestId) {
        ObjectNode body = object();
        body.set("filters", filters);
        int number = page == null ? 1 : Integer.parseInt(page);
        Mem0Memory.Results r = http.send(HttpCall.of("POST", "/v3/memories/").param("page", number)
                .param("page_size", pageSize).body(OmpJson.writeBytes(body)).idempotent(true).requestId(requestId)
                .build()).stream(Mem0Memory::readResults, "page of memories");
        boolean more = r.next() != null && !r.next().isEmpty();
        return new Page(r.results(), more ? String.valueOf(number + 1) : null);
    }

    @Override
    public List<Mem0Memory> search(String query, ObjectNode filters, int topK, String requestId) {
        ObjectNode body = object();
        body.put("query", query);
        body.set("filters", filters);
        body.put("top_k", topK);
        // Every match: min_score is applied to the returned score by the provider, since the
        // threshold is documented on the semantic signal only.
        body.put("threshold", 0.0);
        return http.send(HttpCall.of("POST", "/v3/memories/search/").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).stream(Mem0Memory::readResults, "search results")
                .results();
    }

    @Override
    public Optional<JsonNode> event(String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("GET", "/v1/event/" + HttpCall.segment(id) + "/")
                .requestId(requestId).build()).json(JsonNode.class));
    }

    @Override
    public void ping() {
        http.send(HttpCall.of("GET", "/v1/ping/").build());
    }

    @Override
    public boolean uuidIds() {
        return true;
    }

    @Override
    public boolean pages() {
        return true;
    }
}
