package blog.openmem.supermemory;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Supermemory's v5 routes ({@code /ns/{namespace}/…}). The document's id is the caller's, so it is
 * the OMP id itself. Every option goes in the JSON body (v5 answers 400 to one in the query string),
 * except list paging; a document's lifecycle sits under {@code system}.
 */
final class V5Api implements SupermemoryApi {
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

    @Override
    public String version() {
        return "v5";
    }

    @Override
    public String add(String namespace, String key, String content, ObjectNode metadata, String taskType,
                      String requestId) {
        String id = "mem_" + key + "." + namespace;
        ObjectNode body = object().put("content", content).put("id", id);
        body.set("metadata", metadata);
        body.put("taskType", taskType);
        // Retried: the caller's id makes a repeat of the same add land on the same document.
        http.send(HttpCall.of("POST", ns(namespace) + "/document").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build());
        return id;
    }

    @Override
    public Optional<Document> document(String namespace, String id, String requestId) {
        return Rest.absentOn404(() -> http.send(read(namespace, id, requestId)).stream(V5Json::document, "document"));
    }

    @Override
    public Rest.Pending<Document> documentAsync(String namespace, String id, String requestId) {
        return new Rest.Pending<>(http.sendAsync(read(namespace, id, requestId)),
                r -> r.stream(V5Json::document, "document"));
    }

    private static HttpCall read(String namespace, String id, String requestId) {
        return HttpCall.of("GET", ns(namespace) + "/document/" + HttpCall.segment(id)).requestId(requestId).build();
    }

    @Override
    public Optional<String> patch(String namespace, String id, String content, ObjectNode metadata,
                                  String requestId) {
        ObjectNode body = object();
        if (content != null) {
            body.put("content", content);
        }
        body.set("metadata", metadata);
        return Rest.absentOn404(() -> http.send(HttpCall.of("PATCH", ns(namespace) + "/document/"
                + HttpCall.segment(id)).body(OmpJson.writeBytes(body)).idempotent(true).requestId(requestId)
                .build()).json(JsonNode.class).path("status").asText());
    }

    @Override
    public boolean delete(String namespace, String id, String requestId) {
        ObjectNode body = object();
        body.putArray("ids").add(id);
        // A missing id is reported in errors[], not as a failure of the call.
        return http.send(HttpCall.of("DELETE", ns(namespace) + "/document").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).json(JsonNode.class).path("count").asInt() > 0;
    }

    @Override
    public Page list(String namespace, int page, int limit, Filter filter, String requestId) {
        ObjectNode body = object();
        if (!filter.isEmpty()) {
            body.set("filter", filter(filter));
        }
        return http.send(HttpCall.of("POST", ns(namespace) + "/list/documents").param("page", page)
                .param("limit", limit).param("sort", "createdAt").param("order", "desc").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).stream(p -> V5Json.page(p, page), "documents page");
    }

    @Override
    public List<Hit> search(String namespace, String query, boolean chunks, int limit, double threshold,
                            Filter filter, String requestId) {
        ObjectNode body = object().put("query", query).put("searchMode", chunks ? "chunks" : "memories")
                .put("limit", limit).put("threshold", threshold);
        body.putObject("include").put("documents", true);
        if (!filter.isEmpty()) {
            body.set("filter", filter(filter));
        }
        return http.send(HttpCall.of("POST", ns(namespace) + "/search").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).stream(p -> V5Json.hits(p, chunks), "search results");
    }

    /** A v5 {@code FilterExpression}: predicates on the metadata, joined by {@code and}. */
    private static JsonNode filter(Filter f) {
        List<JsonNode> preds = new ArrayList<>();
        if (f.scopePrefix() != null) {
            preds.add(predicate(MetadataCodec.SCOPE_PREFIXES, f.scopePrefix()));
        }
        if (f.tag() != null) {
            preds.add(predicate(MetadataCodec.TAGS, f.tag()));
        }
        if (f.supersedingAny() != null && !f.supersedingAny().isEmpty()) {
            List<JsonNode> any = new ArrayList<>();
            f.supersedingAny().forEach(id -> any.add(predicate(MetadataCodec.SUPERSEDES, id)));
            preds.add(any.size() == 1 ? any.get(0) : join("or", any));
        }
        return preds.size() == 1 ? preds.get(0) : join("and", preds);
    }

    private static ObjectNode predicate(String field, String value) {
        return object().put("field", field).put("operator", "arrayContains").put("value", value);
    }

    private static ObjectNode join(String operator, List<JsonNode> operands) {
        ObjectNode o = object().put("operator", operator);
        ArrayNode a = o.putArray("operands");
        operands.forEach(a::add);
        return o;
    }

    @Override
    public void ping() {
        http.send(HttpCall.of("GET", "/namespaces").param("page", 1).param("limit", 1).build());
    }
}
