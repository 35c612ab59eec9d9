package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Supermemory's v5 ("namespace-first") API as the adapter uses it, from the derived OpenAPI file and
 * the published v5 docs: {@code Authorization: Bearer <key>}; routes under {@code /ns/{namespace}};
 * options in the JSON body (an option in the query string is 400); documents processed
 * asynchronously ({@code queued → extracting → chunking → embedding → indexing → done}, advanced by
 * reads, or {@code failed} on demand) and searchable once done; the caller's {@code id} is the
 * document's id; PATCH of a document still processing is 409; delete {@code {ids}} reports per-id
 * errors; list pages newest first; search over chunks ({@code superrag}: the text as written, cut
 * into chunks of {@value #CHUNK} characters) or over extracted memories ({@code memory}: the
 * simulator has no model, so the one memory of a document is its text); {@code similarity} in
 * [0, 1]. Errors are {@code {"error", "details"?}}, or {@code {"success": false, "error": [issues]}}
 * for a schema error.
 */
public final class SupermemoryV5Sim extends VendorSim {
    /** The key the simulator accepts. */
    public static final String API_KEY = "sm_sim_key";
    /** Characters per chunk. */
    public static final int CHUNK = 1000;
    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9_:-]{1,100}");
    private static final List<String> STAGES = List.of("queued", "extracting", "chunking", "embedding", "indexing");

    private final SimClock clock = new SimClock();
    private final Map<String, Map<String, Doc>> namespaces = new LinkedHashMap<>();
    private int readsUntilDone = 1;
    private boolean failNext;

    /** One document. */
    private static final class Doc {
        final String id;
        final Instant createdAt;
        String content;
        ObjectNode metadata;
        String taskType;
        Instant updatedAt;
        String status;
        int readsLeft;
        String memoryId = "mem_" + UUID.randomUUID();

        Doc(String id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
        }

        boolean searchable() {
            return status.equals("done");
        }
    }

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
    public synchronized SupermemoryV5Sim readsUntilDone(int reads) {
        this.readsUntilDone = reads;
        return this;
    }

    /** The next document to finish processing fails instead. */
    public synchronized void failNextDocument() {
        failNext = true;
    }

    /** @return documents stored (all namespaces) */
    public synchronized int documentCount() {
        return namespaces.values().stream().mapToInt(Map::size).sum();
    }

    /** @return the namespaces that hold documents */
    public synchronized Set<String> namespaceNames() {
        return Set.copyOf(namespaces.keySet());
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
        Map<String, Doc> docs = namespaces.computeIfAbsent(ns, k -> new LinkedHashMap<>());
        try {
            if (route.equals("/document") && r.method().equals("POST")) {
                return add(docs, r.body());
            }
            if (route.equals("/document") && r.method().equals("DELETE")) {
                return delete(docs, r.body());
            }
            if (route.startsWith("/document/")) {
                String id = route.substring("/document/".length());
                return switch (r.method()) {
                    case "GET" -> get(docs, id);
                    case "PATCH" -> patch(docs, id, r.body());
                    default -> error(405, "Method not allowed");
                };
            }
            if (route.equals("/list/documents") && r.method().equals("POST")) {
                return list(docs, r);
            }
            if (route.equals("/search") && r.method().equals("POST")) {
                return search(docs, r.body());
            }
        } catch (SupermemoryFilters.BadFilter e) {
            return schemaError("filter", e.getMessage());
        } finally {
            if (docs.isEmpty()) {
                namespaces.remove(ns);
            }
        }
        return error(404, "Not found");
    }

    private Reply add(Map<String, Doc> docs, JsonNode b) {
        if (b == null || !b.path("content").isTextual() || b.path("content").asText().isEmpty()) {
            return schemaError("content", "Required");
        }
        String id = b.path("id").isTextual() ? b.path("id").asText() : "doc_" + UUID.randomUUID();
        Doc d = docs.get(id);
        if (d == null) {
            d = new Doc(id, clock.now());
            docs.put(id, d);
        }
        // A new id creates; an existing id replaces the content and reprocesses it.
        d.content = b.path("content").asText();
        d.metadata = b.path("metadata").isObject() ? ((ObjectNode) b.get("metadata")).deepCopy() : JSON.createObjectNode();
        d.taskType = b.path("taskType").asText("memory");
        d.updatedAt = clock.now();
        restart(d);
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private void restart(Doc d) {
        d.readsLeft = readsUntilDone;
        d.status = readsUntilDone == 0 ? finish() : "queued";
    }

    /** @return the status a document reaches when processing ends: done, or failed once when asked. */
    private String finish() {
        if (failNext) {
            failNext = false;
            return "failed";
        }
        return "done";
    }

    /** A read advances processing by one stage until the configured number of reads is reached. */
    private void advance(Doc d) {
        if (d.status.equals("done") || d.status.equals("failed")) {
            return;
        }
        d.readsLeft--;
        d.status = d.readsLeft <= 0 ? finish() : STAGES.get(Math.min(STAGES.size() - 1, 1 + STAGES.indexOf(d.status)));
    }

    private Reply get(Map<String, Doc> docs, String id) {
        Doc d = docs.get(id);
        if (d == null) {
            return error(404, "Document not found");
        }
        advance(d);
        ObjectNode j = listItem(d);
        j.remove("url");
        j.put("content", d.content);
        return Reply.of(200, j);
    }

    private Reply patch(Map<String, Doc> docs, String id, JsonNode b) {
        Doc d = docs.get(id);
        if (d == null) {
            return error(404, "Document not found");
        }
        if (b == null || !b.isObject() || b.isEmpty()) {
            return schemaError("body", "At least one field is required");
        }
        if (!d.searchable() && !d.status.equals("failed")) {
            return error(409, "Document is still processing; retry when it is done");
        }
        boolean reprocess = false;
        if (b.path("content").isTextual()) {
            d.content = b.path("content").asText();
            reprocess = true;
        }
        if (b.path("metadata").isObject()) {
            d.metadata = ((ObjectNode) b.get("metadata")).deepCopy();
        }
        if (b.path("taskType").isTextual()) {
            d.taskType = b.path("taskType").asText();
        }
        d.updatedAt = clock.now();
        if (reprocess) {
            d.memoryId = "mem_" + UUID.randomUUID();
            restart(d);
        }
        return Reply.of(200, Map.of("id", d.id, "status", d.status));
    }

    private Reply delete(Map<String, Doc> docs, JsonNode b) {
        if (b == null || !b.path("ids").isArray() || b.path("ids").isEmpty() || b.path("ids").size() > 100) {
            return schemaError("ids", "1 to 100 ids are required");
        }
        int count = 0;
        List<Map<String, String>> errors = new ArrayList<>();
        for (JsonNode id : b.path("ids")) {
            if (docs.remove(id.asText()) != null) {
                count++;
            } else {
                errors.add(Map.of("id", id.asText(), "error", "Document not found"));
            }
        }
        return Reply.of(200, Map.of("count", count, "errors", errors));
    }

    private Reply list(Map<String, Doc> docs, SimRequest r) {
        int page = Integer.parseInt(r.query().getOrDefault("page", "1"));
        int limit = Integer.parseInt(r.query().getOrDefault("limit", "10"));
        if (page < 1 || limit < 1 || limit > 100) {
            return schemaError("limit", "page >= 1, limit 1..100");
        }
        String sort = r.query().getOrDefault("sort", "createdAt");
        boolean asc = r.query().getOrDefault("order", "desc").equals("asc");
        JsonNode filter = r.body() == null ? null : r.body().get("filter");
        List<Doc> all = new ArrayList<>();
        for (Doc d : docs.values()) {
            if (filter == null || SupermemoryFilters.matches(filter, d.metadata)) {
                all.add(d);
            }
        }
        Comparator<Doc> by = sort.equals("updatedAt") ? Comparator.comparing((Doc d) -> d.updatedAt)
                : Comparator.comparing((Doc d) -> d.createdAt);
        all.sort(asc ? by : by.reversed());
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

    private Reply search(Map<String, Doc> docs, JsonNode b) {
        if (b == null || !b.path("query").isTextual() || b.path("query").asText().isEmpty()) {
            return schemaError("query", "Required");
        }
        String mode = b.path("searchMode").asText("hybrid");
        int limit = b.path("limit").asInt(10);
        double threshold = b.path("threshold").asDouble(0.3);
        boolean withDocuments = b.path("include").path("documents").asBoolean(false);
        JsonNode filter = b.get("filter");
        String q = b.path("query").asText();
        record Hit(Doc doc, String text, int position, double score, boolean memory) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Doc d : docs.values()) {
            if (!d.searchable() || (filter != null && !SupermemoryFilters.matches(filter, d.metadata))) {
                continue;
            }
            boolean extracted = d.taskType.equals("memory");
            if (extracted && !mode.equals("chunks")) {
                hits.add(new Hit(d, d.content, 0, Mem0Store.score(q, d.content), true));
            }
            if (!extracted && !mode.equals("memories")) {
                for (int i = 0; i * CHUNK < d.content.length(); i++) {
                    String chunk = d.content.substring(i * CHUNK, Math.min(d.content.length(), (i + 1) * CHUNK));
                    hits.add(new Hit(d, chunk, i, Mem0Store.score(q, chunk), false));
                }
            }
        }
        hits.removeIf(h -> h.score() < threshold);
        hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        List<ObjectNode> results = new ArrayList<>();
        for (Hit h : hits.subList(0, Math.min(limit, hits.size()))) {
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
        namespaces.forEach((name, docs) -> out.add(Map.of("id", name, "namespace", name, "documentCount", docs.size(),
                "memoryCount", docs.size())));
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
