package blog.openmem.supermemory;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Supermemory's legacy routes: {@code /v3/documents} (add, read, change, delete, list) and
 * {@code /v4/search}, a user being a container tag. Documents are addressed by Supermemory's own id
 * (the published API reads by id only, not by {@code customId}), which the add answers at once: the
 * OMP id is {@code mem_<that id>.<tag>}. The add still sends a {@code customId}, so that a retried
 * add lands on the same document. Filters are {@code {"AND"|"OR": [...]}} with string values only,
 * so the adapter filters on string lists ({@code array_contains}) alone. Not used:
 * {@code POST /v4/memories} (direct memory writes): a memory written there has no read by id, and
 * its update makes a new version under a new id, so OMP's stable ids could not be kept.
 */
final class V4Api implements SupermemoryApi {
    private final ResilientHttpClient http;

    V4Api(ResilientHttpClient http) {
        this.http = http;
    }

    @Override
    public String version() {
        return "v4";
    }

    /** @return Supermemory's document id in an OMP id {@code mem_<id>.<tag>} */
    private static String documentId(String id) {
        return id.substring(4, id.indexOf('.'));
    }

    @Override
    public String add(String tag, String key, String content, ObjectNode metadata, String taskType, String requestId) {
        ObjectNode body = V5Api.object().put("content", content).put("containerTag", tag)
                .put("customId", "mem_" + key);
        body.set("metadata", metadata);
        body.put("taskType", taskType);
        // Retried: the customId makes a repeat of the same add land on the same document.
        String id = http.send(HttpCall.of("POST", "/v3/documents").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).json(JsonNode.class).path("id").asText("");
        if (!MemoryIds.key(id)) {
            throw new ProviderException("supermemory: the add answered no usable document id",
                    ErrorDetails.provider("supermemory"));
        }
        return "mem_" + id + "." + tag;
    }

    @Override
    public Optional<Document> document(String tag, String id, String requestId) {
        return Rest.absentOn404(() -> document(http.send(read(id, requestId)).json(JsonNode.class), tag));
    }

    @Override
    public Rest.Pending<Document> documentAsync(String tag, String id, String requestId) {
        return new Rest.Pending<>(http.sendAsync(read(id, requestId)), r -> document(r.json(JsonNode.class), tag));
    }

    private static HttpCall read(String id, String requestId) {
        return HttpCall.of("GET", "/v3/documents/" + HttpCall.segment(documentId(id))).requestId(requestId).build();
    }

    /** A document or list item (lifecycle at the top level), or a search hit's document. */
    private static Document document(JsonNode d, String tag) {
        return new Document("mem_" + d.path("id").asText() + "." + tag,
                d.path("content").isTextual() ? d.get("content").asText() : null, d.path("status").asText("done"),
                SupermemoryDocuments.time(d, "createdAt"),
                d.path("updatedAt").isTextual() ? SupermemoryDocuments.time(d, "updatedAt") : null,
                MetadataCodec.plain(d.get("metadata")));
    }

    @Override
    public Optional<String> patch(String tag, String id, String content, ObjectNode metadata, String requestId) {
        ObjectNode body = V5Api.object();
        if (content != null) {
            body.put("content", content);
        }
        body.set("metadata", metadata);
        return Rest.absentOn404(() -> http.send(HttpCall.of("PATCH", "/v3/documents/"
                + HttpCall.segment(documentId(id))).body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).json(JsonNode.class).path("status").asText());
    }

    @Override
    public boolean delete(String tag, String id, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("DELETE", "/v3/documents/"
                + HttpCall.segment(documentId(id))).idempotent(true).requestId(requestId).build())).isPresent();
    }

    @Override
    public Page list(String tag, int page, int limit, Filter filter, String requestId) {
        ObjectNode body = V5Api.object();
        body.putArray("containerTags").add(tag);
        if (!filter.isEmpty()) {
            body.set("filters", filters(filter));
        }
        // With the content: no read per listed document.
        body.put("includeContent", true).put("limit", limit).put("page", page).put("sort", "createdAt")
                .put("order", "desc");
        JsonNode r = http.send(HttpCall.of("POST", "/v3/documents/list").body(OmpJson.writeBytes(body))
                .idempotent(true).requestId(requestId).build()).json(JsonNode.class);
        List<Document> docs = new ArrayList<>();
        r.path("memories").forEach(d -> docs.add(document(d, tag)));
        return new Page(docs, r.path("pagination").path("currentPage").asInt(page)
                < r.path("pagination").path("totalPages").asInt(0));
    }

    @Override
    public List<Hit> search(String tag, String query, boolean chunks, int limit, double threshold, Filter filter,
                            String requestId) {
        ObjectNode body = V5Api.object().put("q", query).put("containerTag", tag)
                .put("searchMode", chunks ? "documents" : "memories").put("limit", limit).put("threshold", threshold);
        body.putObject("include").put("documents", true);
        if (!filter.isEmpty()) {
            body.set("filters", filters(filter));
        }
        List<Hit> out = new ArrayList<>();
        for (JsonNode h : http.send(HttpCall.of("POST", "/v4/search").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).json(JsonNode.class).path("results")) {
            JsonNode doc = h.path("documents").path(0);
            if (doc.path("id").isTextual()) {
                out.add(new Hit(document(doc, tag), h.path(chunks ? "chunk" : "memory").asText(null),
                        h.path("similarity").asDouble(0)));
            }
        }
        return out;
    }

    /** A legacy {@code QueryFilter}: conditions on the metadata's string lists, joined by AND. */
    private static JsonNode filters(Filter f) {
        ObjectNode root = V5Api.object();
        ArrayNode and = root.putArray("AND");
        if (f.scopePrefix() != null) {
            and.add(contains(MetadataCodec.SCOPE_PREFIXES, f.scopePrefix()));
        }
        if (f.tag() != null) {
            and.add(contains(MetadataCodec.TAGS, f.tag()));
        }
        if (f.supersedingAny() != null && !f.supersedingAny().isEmpty()) {
            ArrayNode or = and.addObject().putArray("OR");
            f.supersedingAny().forEach(id -> or.add(contains(MetadataCodec.SUPERSEDES, id)));
        }
        return root;
    }

    private static ObjectNode contains(String key, String value) {
        return V5Api.object().put("key", key).put("value", value).put("filterType", "array_contains");
    }

    @Override
    public void ping() {
        http.send(HttpCall.of("POST", "/v3/documents/list").body(OmpJson.writeBytes(V5Api.object().put("limit", 1)))
                .idempotent(true).build());
    }
}
