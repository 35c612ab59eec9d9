package blog.openmem.supermemory;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Supermemory's v5 routes as the provider needs them: the calls and their wire forms, nothing of
 * OMP. Every option goes in the JSON body (v5 answers 400 to one in the query string), except list
 * paging.
 */
final class V5Api {
    private final ResilientHttpClient http;

    V5Api(ResilientHttpClient http) {
        this.http = http;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static String ns(String namespace) {
        return "/ns/" + HttpCall.segment(namespace);
    }

    /** @return the processing status the add reported */
    String add(String namespace, String id, String content, ObjectNode metadata, String taskType, String requestId) {
        ObjectNode body = object().put("content", content).put("id", id);
        body.set("metadata", metadata);
        body.put("taskType", taskType);
        // Retried: the caller's id makes a repeat of the same add land on the same document.
        return http.send(HttpCall.of("POST", ns(namespace) + "/document").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).json(JsonNode.class).path("status").asText();
    }

    Optional<JsonNode> document(String namespace, String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("GET", ns(namespace) + "/document/"
                + HttpCall.segment(id)).requestId(requestId).build()).json(JsonNode.class));
    }

    CompletableFuture<Optional<JsonNode>> documentAsync(String namespace, String id, String requestId) {
        return Rest.absentOn404(Rest.mapped(http.sendAsync(HttpCall.of("GET", ns(namespace) + "/document/"
                + HttpCall.segment(id)).requestId(requestId).build()), r -> r.json(JsonNode.class)));
    }

    /** @return empty when the document does not exist */
    Optional<String> patch(String namespace, String id, String content, ObjectNode metadata, String requestId) {
        ObjectNode body = object();
        if (content != null) {
            body.put("content", content);
        }
        body.set("metadata", metadata);
        return Rest.absentOn404(() -> http.send(HttpCall.of("PATCH", ns(namespace) + "/document/" + HttpCall.segment(id))
                .body(OmpJson.writeBytes(body)).idempotent(true).requestId(requestId).build()).json(JsonNode.class)
                .path("status").asText());
    }

    /** @return how many of the ids were deleted */
    int delete(String namespace, List<String> ids, String requestId) {
        ObjectNode body = object();
        ids.forEach(body.putArray("ids")::add);
        return http.send(HttpCall.of("DELETE", ns(namespace) + "/document").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).json(JsonNode.class).path("count").asInt();
    }

    /**
     * @param page   the page, from 1
     * @param filter a v5 filter expression, or null
     * @return the page's documents (no content) and whether more pages follow
     */
    Page list(String namespace, int page, int limit, JsonNode filter, String requestId) {
        ObjectNode body = object();
        if (filter != null) {
            body.set("filter", filter);
        }
        JsonNode r = http.send(HttpCall.of("POST", ns(namespace) + "/list/documents").param("page", page)
                .param("limit", limit).param("sort", "createdAt").param("order", "desc").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).json(JsonNode.class);
        List<JsonNode> docs = new ArrayList<>();
        r.path("documents").forEach(docs::add);
        return new Page(docs, r.path("pagination").path("currentPage").asInt(page)
                < r.path("pagination").path("totalPages").asInt(0));
    }

    /** One page of documents. */
    record Page(List<JsonNode> documents, boolean more) {
    }

    List<JsonNode> search(String namespace, String query, String mode, int limit, double threshold, JsonNode filter,
                          String requestId) {
        ObjectNode body = object().put("query", query).put("searchMode", mode).put("limit", limit)
                .put("threshold", threshold);
        body.putObject("include").put("documents", true);
        if (filter != null) {
            body.set("filter", filter);
        }
        List<JsonNode> out = new ArrayList<>();
        http.send(HttpCall.of("POST", ns(namespace) + "/search").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).json(JsonNode.class).path("results").forEach(out::add);
        return out;
    }

    /** A cheap call that proves the API answers and the key is accepted. */
    void ping() {
        http.send(HttpCall.of("GET", "/namespaces").param("page", 1).param("limit", 1).build());
    }
}
