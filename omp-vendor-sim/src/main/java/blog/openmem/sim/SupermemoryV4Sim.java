package blog.openmem.sim;

import blog.openmem.sim.SupermemoryStore.Doc;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Supermemory's legacy API (v3 documents, v4 search; "container tags") as the adapter uses it, from
 * the verbatim OpenAPI file of {@code supermemoryai/sdk-ts} (= the live {@code /v4/openapi}) and the
 * vendor notes: {@code Authorization: Bearer <key>}; {@code POST /v3/documents} with a
 * {@code containerTag} answers Supermemory's own 22-character id, and a repeated {@code customId}
 * in the same container lands on the same document; documents are global by id
 * ({@code GET/PATCH/DELETE /v3/documents/{id}}), processed asynchronously as in v5 (a PATCH while
 * processing restarts processing: the file declares no 409 for it); {@code POST /v3/documents/list}
 * pages a container newest first (the array is named {@code memories}), with the content when
 * {@code includeContent}; {@code POST /v4/search} finds chunks ({@code documents} mode) or extracted
 * memories ({@code memories}), {@code threshold} 0.6 by default, each hit with its documents when
 * {@code include.documents}. Errors are {@code {"error", "details"?}}.
 */
public final class SupermemoryV4Sim extends SupermemorySim {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_:-]{1,100}");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Per container, the document of each customId. */
    private final Map<String, Map<String, String>> customIds = new LinkedHashMap<>();

    /** A simulator checked against the verbatim v3/v4 OpenAPI file. */
    public SupermemoryV4Sim() {
        // The file is OpenAPI 3.1 and the validator reads 3.0 (see SOURCE.md).
        super(OpenApiContract.load("/blog/openmem/sim/supermemory/supermemory-v3v4.openapi.yaml",
                OpenApiContract::toOpenApi30));
    }

    /**
     * @param reads how many reads of a document answer a processing stage before it is done (0: done
     *              at once)
     * @return this
     */
    @Override
    public synchronized SupermemoryV4Sim readsUntilDone(int reads) {
        super.readsUntilDone(reads);
        return this;
    }

    @Override
    public String apiVersion() {
        return "v4";
    }

    @Override
    protected Reply handle(SimRequest r) {
        if (!("Bearer " + API_KEY).equals(r.header("Authorization"))) {
            return error(401, "Unauthorized");
        }
        String p = r.path();
        try {
            if (p.equals("/v3/documents") && r.method().equals("POST")) {
                return add(r.body());
            }
            if (p.equals("/v3/documents/list") && r.method().equals("POST")) {
                return list(r.body());
            }
            if (p.equals("/v4/search") && r.method().equals("POST")) {
                return search(r.body());
            }
            if (p.startsWith("/v3/documents/") && p.indexOf('/', "/v3/documents/".length()) < 0) {
                Doc d = store.find(p.substring("/v3/documents/".length()));
                if (d == null) {
                    return error(404, "Document not found");
                }
                return switch (r.method()) {
                    case "GET" -> get(d);
                    case "PATCH" -> patch(d, r.body());
                    case "DELETE" -> delete(d);
                    default -> error(405, "Method not allowed");
                };
            }
        } catch (SupermemoryFilters.BadFilter e) {
            return error(400, "Invalid filters", e.getMessage());
        }
        return error(404, "Not found");
    }

    private Reply add(JsonNode b) {
        if (b == null || !b.path("content").isTextual() || b.path("content").asText().isEmpty()) {
            return error(400, "Invalid request parameters", "content is required");
        }
        String tag = b.path("containerTag").asText("sm_project_default");
        if (!TAG.matcher(tag).matches()) {
            return error(400, "Invalid request parameters", "containerTag must match ^[a-zA-Z0-9_:-]+$ (max 100)");
        }
        Map<String, String> custom = customIds.computeIfAbsent(tag, k -> new LinkedHashMap<>());
        String customId = b.path("customId").isTextual() ? b.path("customId").asText() : null;
        String id = customId == null ? null : custom.get(customId);
        if (id == null || store.find(id) == null) {
            id = newId();
        }
        // A repeated customId lands on its document: the content is replaced and processed again.
        Doc d = store.put(tag, id, b.path("content").asText(), b.path("metadata").isObject()
                ? (ObjectNode) b.get("metadata") : null, b.path("taskType").asText("memory"));
        if (customId != null) {
            d.customId = customId;
            custom.put(customId, id);
        }
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private static String newId() {
        StringBuilder s = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private Reply get(Doc d) {
        store.advance(d);
        ObjectNode j = item(d, true);
        j.putNull("connectionId");
        j.putNull("ogImage");
        j.putNull("raw");
        j.putNull("source");
        j.put("taskType", d.taskType);
        j.put("dreamingStatus", "done");
        return Reply.of(200, j);
    }

    private Reply patch(Doc d, JsonNode b) {
        if (b == null || !b.isObject()) {
            return error(400, "Invalid request parameters", "a JSON object is required");
        }
        // The legacy API declares no 409 here: a change while processing starts processing again.
        String content = b.path("content").isTextual() ? b.path("content").asText() : null;
        store.change(d, content, b.path("metadata").isObject() ? (ObjectNode) b.get("metadata") : null,
                b.path("taskType").isTextual() ? b.path("taskType").asText() : null);
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private Reply delete(Doc d) {
        store.remove(d);
        if (d.customId != null) {
            customIds.get(d.namespace).remove(d.customId, d.id);
        }
        return Reply.of(204, null);
    }

    private Reply list(JsonNode b) {
        JsonNode body = b == null ? JSON.createObjectNode() : b;
        int page = body.path("page").asInt(1);
        int limit = body.path("limit").asInt(10);
        if (page < 1 || limit < 1 || limit > 1100) {
            return error(400, "Invalid request parameters", "page >= 1, limit 1..1100");
        }
        JsonNode filters = body.get("filters");
        Predicate<ObjectNode> filter = m -> filters == null || SupermemoryV4Filters.matches(filters, m);
        boolean asc = body.path("order").asText("desc").equals("asc");
        String sort = body.path("sort").asText("createdAt");
        List<Doc> all = new ArrayList<>();
        if (body.path("containerTags").isArray()) {
            for (JsonNode t : body.get("containerTags")) {
                all.addAll(store.list(t.asText(), filter, sort, asc));
            }
        } else {
            for (String t : store.namespaceNames()) {
                all.addAll(store.list(t, filter, sort, asc));
            }
        }
        int from = Math.min(all.size(), (page - 1) * limit);
        int to = Math.min(all.size(), from + limit);
        boolean content = body.path("includeContent").asBoolean(false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("memories", all.subList(from, to).stream().map(d -> item(d, content)).toList());
        out.put("pagination", Map.of("currentPage", page, "limit", limit, "totalItems", all.size(),
                "totalPages", (all.size() + limit - 1) / limit));
        return Reply.of(200, out);
    }

    private Reply search(JsonNode b) {
        if (b == null || !b.path("q").isTextual() || b.path("q").asText().isEmpty()) {
            return error(400, "Invalid request parameters", "q is required");
        }
        String tag = b.path("containerTag").asText(null);
        if (tag == null) {
            return error(400, "Invalid request parameters", "the simulator searches one containerTag");
        }
        String mode = b.path("searchMode").asText("memories");
        boolean withDocuments = b.path("include").path("documents").asBoolean(false);
        JsonNode filters = b.get("filters");
        List<ObjectNode> results = new ArrayList<>();
        for (SupermemoryStore.Hit h : store.search(tag, b.path("q").asText(), !mode.equals("memories"),
                !mode.equals("documents"), b.path("threshold").asDouble(0.6),
                m -> filters == null || SupermemoryV4Filters.matches(filters, m), b.path("limit").asInt(10))) {
            ObjectNode j = JSON.createObjectNode();
            j.put("id", h.memory() ? h.doc().memoryId : h.doc().id + "_chunk_" + h.position());
            j.put(h.memory() ? "memory" : "chunk", h.text());
            j.set("metadata", h.doc().metadata.deepCopy());
            j.put("updatedAt", h.doc().updatedAt.toString());
            j.put("similarity", h.score());
            if (withDocuments) {
                ObjectNode doc = j.putArray("documents").addObject();
                doc.put("id", h.doc().id);
                doc.put("type", "text");
                doc.set("metadata", h.doc().metadata.deepCopy());
                doc.put("createdAt", h.doc().createdAt.toString());
                doc.put("updatedAt", h.doc().updatedAt.toString());
            }
            results.add(j);
        }
        return Reply.of(200, Map.of("results", results, "timing", 1, "total", results.size()));
    }

    /** A document as the list gives it (with its content when asked) and as a read by id starts it. */
    private static ObjectNode item(Doc d, boolean content) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", d.id);
        if (d.customId == null) {
            j.putNull("customId");
        } else {
            j.put("customId", d.customId);
        }
        j.putNull("connectionId");
        ArrayNode tags = j.putArray("containerTags");
        tags.add(d.namespace);
        j.put("createdAt", d.createdAt.toString());
        j.put("updatedAt", d.updatedAt.toString());
        j.putNull("filepath");
        j.set("metadata", d.metadata.deepCopy());
        j.put("status", d.status);
        j.putNull("summary");
        j.putNull("title");
        j.put("type", "text");
        j.putNull("url");
        if (content) {
            j.put("content", d.content);
        }
        return j;
    }

    private static Reply error(int status, String message) {
        return Reply.of(status, Map.of("error", message));
    }

    private static Reply error(int status, String message, String details) {
        return Reply.of(status, Map.of("error", message, "details", details));
    }
}
