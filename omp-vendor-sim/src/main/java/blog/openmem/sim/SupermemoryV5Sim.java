package blog.openmem.sim;

import blog.openmem.sim.SupermemoryStore.Doc;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Supermemory's v5 ("namespace-first") API as the adapter uses it, from the derived OpenAPI file and
 * the published v5 docs: {@code Authorization: Bearer <key>}; routes under {@code /ns/{namespace}};
 * options in the JSON body (an option in the query string is 400); documents processed
 * asynchronously ({@code queued → extracting → chunking → embedding → indexing → done}, advanced by
 * reads, or {@code failed} on demand) and searchable once done; the caller's {@code id} is the
 * document's id; PATCH of a document still processing is 409 (and, like a read, moves processing
 * on); delete {@code {ids}} reports per-id
 * errors; list pages newest first; search over chunks ({@code superrag}: the text as written, cut
 * into chunks of {@value SupermemorySim#CHUNK} characters) or over extracted memories ({@code memory}: the
 * simulator has no model, so the one memory of a document is its text); {@code similarity} in
 * [0, 1]. Errors are {@code {"error", "details"?}}, or {@code {"success": false, "error": [issues]}}
 * for a schema error.
 */
public final class SupermemoryV5Sim extends SupermemorySim {
    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9_:-]{1,100}");


    /** A simulator checked against the derived v5 OpenAPI file. */
    public SupermemoryV5Sim() {
        // The file is OpenAPI 3.1 and the validator reads 3.0 (see SOURCE.md).
        super(OpenApiContract.load("/blog/openmem/sim/supermemory/supermemory-v5.derived.openapi.yaml",
                OpenApiContract::toOpenApi30));
    }

    /**
     * @param reads how many reads of a document answer a processing stage before it is done (0: done
     *              at once)
     * @return this
     */
    @Override
    public synchronized SupermemoryV5Sim readsUntilDone(int reads) {
        super.readsUntilDone(reads);
        return this;
    }

    @Override
    public String apiVersion() {
        return "v5";
    }

    @Override
    protected Reply handle(SimRequest r) {
        if (!("Bearer " + API_KEY).equals(r.header("Authorization"))) {
            return error(401, "Unauthorized");
        }
        String p = r.path();
        if (p.equals("/namespaces") && r.method().equals("GET")) {
            return namespacesPage(r);
        }
        if (!p.startsWith("/ns/")) {
            return error(404, "Not found");
        }
        String rest = p.substring(4);
        int slash = rest.indexOf('/');
        String ns = slash < 0 ? rest : rest.substring(0, slash);
        String route = slash < 0 ? "" : rest.substring(slash);
        if (!NAMESPACE.matcher(ns).matches()) {
            return schemaError("namespace", "Invalid namespace");
        }
        for (String option : List.of("taskType", "dreaming", "limit", "searchMode")) {
            if (r.query().containsKey(option) && !route.startsWith("/list/")) {
                return error(400, "Unexpected query parameter '" + option + "': options go in the JSON body");
            }
        }
        try {
            if (route.equals("/document") && r.method().equals("POST")) {
                return add(ns, r.body());
            }
            if (route.equals("/document") && r.method().equals("DELETE")) {
                return delete(ns, r.body());
            }
            if (route.startsWith("/document/")) {
                Doc d = store.documents(ns).get(route.substring("/document/".length()));
                if (d == null) {
                    return error(404, "Document not found");
                }
                return switch (r.method()) {
                    case "GET" -> get(d);
                    case "PATCH" -> patch(d, r.body());
                    default -> error(405, "Method not allowed");
                };
            }
            if (route.equals("/list/documents") && r.method().equals("POST")) {
                return list(ns, r);
            }
            if (route.equals("/search") && r.method().equals("POST")) {
                return search(ns, r.body());
            }
        } catch (SupermemoryFilters.BadFilter e) {
            return schemaError("filter", e.getMessage());
        }
        return error(404, "Not found");
    }

    private Reply add(String ns, JsonNode b) {
        if (b == null || !b.path("content").isTextual() || b.path("content").asText().isEmpty()) {
            return schemaError("content", "Required");
        }
        String id = b.path("id").isTextual() ? b.path("id").asText() : "doc_" + UUID.randomUUID();
        // A new id creates; an existing id replaces the content and reprocesses it.
        Doc d = store.put(ns, id, b.path("content").asText(), b.path("metadata").isObject()
                ? (ObjectNode) b.get("metadata") : null, b.path("taskType").asText("memory"));
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private Reply get(Doc d) {
        store.advance(d);
        ObjectNode j = listItem(d);
        j.remove("url");
        j.put("content", d.content);
        return Reply.of(200, j);
    }

    private Reply patch(Doc d, JsonNode b) {
        if (b == null || !b.isObject() || b.isEmpty()) {
            return schemaError("body", "At least one field is required");
        }
        if (d.processing()) {
            store.advance(d); // time passes for a refused change as for a read
            return error(409, "Document is still processing; retry when it is done");
        }
        store.change(d, b.path("content").isTextual() ? b.path("content").asText() : null,
                b.path("metadata").isObject() ? (ObjectNode) b.get("metadata") : null,
                b.path("taskType").isTextual() ? b.path("taskType").asText() : null);
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private Reply delete(String ns, JsonNode b) {
        if (b == null || !b.path("ids").isArray() || b.path("ids").isEmpty() || b.path("ids").size() > 100) {
            return schemaError("ids", "1 to 100 ids are required");
        }
        int count = 0;
        List<Map<String, String>> errors = new ArrayList<>();
        for (JsonNode id : b.path("ids")) {
            Doc d = store.documents(ns).get(id.asText());
            if (d != null) {
                store.remove(d);
                count++;
            } else {
                errors.add(Map.of("id", id.asText(), "error", "Document not found"));
            }
        }
        return Reply.of(200, Map.of("count", count, "errors", errors));
    }

    private Reply list(String ns, SimRequest r) {
        int page = Integer.parseInt(r.query().getOrDefault("page", "1"));
        int limit = Integer.parseInt(r.query().getOrDefault("limit", "10"));
        if (page < 1 || limit < 1 || limit > 100) {
            return schemaError("limit", "page >= 1, limit 1..100");
        }
        JsonNode filter = r.body() == null ? null : r.body().get("filter");
        List<Doc> all = store.list(ns, m -> filter == null || SupermemoryFilters.matches(filter, m),
                r.query().getOrDefault("sort", "createdAt"), r.query().getOrDefault("order", "desc").equals("asc"));
        int from = Math.min(all.size(), (page - 1) * limit);
        int to = Math.min(all.size(), from + limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("documents", all.subList(from, to).stream().map(SupermemoryV5Sim::listItem).toList());
        out.put("chunks", List.of());
        out.put("memories", List.of());
        out.put("pagination", Map.of("currentPage", page, "limit", limit, "totalItems", all.size(),
                "totalPages", (all.size() + limit - 1) / limit));
        return Reply.of(200, out);
    }

    private Reply search(String ns, JsonNode b) {
        if (b == null || !b.path("query").isTextual() || b.path("query").asText().isEmpty()) {
            return schemaError("query", "Required");
        }
        String mode = b.path("searchMode").asText("hybrid");
        boolean withDocuments = b.path("include").path("documents").asBoolean(false);
        JsonNode filter = b.get("filter");
        List<ObjectNode> results = new ArrayList<>();
        for (SupermemoryStore.Hit h : store.search(ns, b.path("query").asText(), !mode.equals("memories"),
                !mode.equals("chunks"), b.path("threshold").asDouble(0.3),
                m -> filter == null || SupermemoryFilters.matches(filter, m), b.path("limit").asInt(10))) {
            ObjectNode j = JSON.createObjectNode();
            j.put("id", h.memory() ? h.doc().memoryId : h.doc().id + "_chunk_" + h.position());
            j.put(h.memory() ? "memory" : "chunk", h.text());
            j.set("metadata", h.doc().metadata.deepCopy());
            j.put("similarity", h.score());
            j.put("isLatest", true);
            j.put("isInference", false);
            ObjectNode system = j.putObject("system");
            system.put("updatedAt", h.doc().updatedAt.toString());
            system.put("createdAt", h.doc().createdAt.toString());
            if (withDocuments) {
                ObjectNode doc = j.putObject("included").putObject("document");
                doc.put("id", h.doc().id);
                doc.putNull("title");
                doc.put("type", "text");
                doc.set("metadata", h.doc().metadata.deepCopy());
                doc.putNull("summary");
                doc.putObject("system").put("createdAt", h.doc().createdAt.toString())
                        .put("updatedAt", h.doc().updatedAt.toString());
            }
            results.add(j);
        }
        return Reply.of(200, Map.of("results", results, "searchTime", 1));
    }

    private Reply namespacesPage(SimRequest r) {
        int limit = Integer.parseInt(r.query().getOrDefault("limit", "10"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : store.namespaceNames()) {
            int n = store.documents(name).size();
            out.add(Map.of("id", name, "namespace", name, "documentCount", n, "memoryCount", n));
        }
        return Reply.of(200, Map.of("namespaces", out.subList(0, Math.min(limit, out.size())), "pagination",
                Map.of("currentPage", 1, "limit", limit, "totalItems", out.size(), "totalPages", 1)));
    }

    private static ObjectNode listItem(Doc d) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", d.id);
        j.putNull("title");
        j.put("type", "text");
        j.putNull("summary");
        j.set("metadata", d.metadata.deepCopy());
        j.putNull("url");
        ObjectNode system = j.putObject("system");
        system.put("status", d.status);
        system.put("createdAt", d.createdAt.toString());
        system.put("updatedAt", d.updatedAt.toString());
        return j;
    }

    private static Reply error(int status, String message) {
        return Reply.of(status, Map.of("error", message));
    }

    private static Reply schemaError(String path, String message) {
        ArrayNode issues = JSON.createArrayNode();
        ObjectNode issue = issues.addObject().put("message", message);
        issue.putArray("path").add(path);
        ObjectNode body = JSON.createObjectNode().put("success", false);
        body.set("error", issues);
        return Reply.of(400, body);
    }
}
