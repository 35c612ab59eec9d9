package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mem0's hosted platform API as the adapter uses it, from Mem0's published OpenAPI file and docs:
 * {@code Authorization: Token <key>}; trailing slashes; {@code POST /v3/memories/add/}
 * (synchronous with {@code infer: false}, else an event that goes PENDING → RUNNING → SUCCEEDED
 * over polls of {@code GET /v1/event/{id}/}, or FAILED on demand); {@code POST /v3/memories/}
 * (filters required, paginated {@code {count, next, previous, results}}, newest first);
 * {@code POST /v3/memories/search/}; {@code GET/PUT/DELETE /v1/memories/{id}/} (400 for an id that
 * is not a UUID, 404 {@code {"error"}}); {@code GET /v1/ping/}. With {@code infer: true} the
 * "extracted" memory is the user's message as written (the simulator has no model).
 */
public final class Mem0PlatformSim extends VendorSim {
    /** The key the simulator accepts. */
    public static final String API_KEY = "m0-sim-key";

    private final Mem0Store store = new Mem0Store();
    private final Map<String, Event> events = new LinkedHashMap<>();
    private int pollsUntilDone = 2;
    private boolean failNextEvent;

    private static final class Event {
        final String id = UUID.randomUUID().toString();
        final ObjectNode payload;
        final String createdAt;
        String status = "PENDING";
        int polls;
        final List<String> memoryIds = new ArrayList<>();
        String error;

        Event(ObjectNode payload, String createdAt) {
            this.payload = payload;
            this.createdAt = createdAt;
        }
    }

    /** A simulator checked against Mem0's platform OpenAPI file. */
    public Mem0PlatformSim() {
        super(OpenApiContract.load("/blog/openmem/sim/mem0/mem0-platform.openapi.json", spec -> {
            // The file's operations name a "tokenAuth" scheme it never defines (it defines
            // ApiKeyAuth, the same Authorization header): define it as that.
            ((ObjectNode) spec.with("components").with("securitySchemes")).set("tokenAuth",
                    spec.path("components").path("securitySchemes").path("ApiKeyAuth").deepCopy());
            // Four array schemas have no "items" (MemorySearchInputV2, MemoryGetInputV2 and the
            // event responses), which OpenAPI 3.0 requires: any item.
            OpenApiContract.addMissingArrayItems(spec);
            return spec;
            // Several 400 and 401 answers are declared without a body, while Mem0 sends its error
            // objects ({"detail"} or {"error"}, see the vendor notes): error bodies are not errors.
        }, java.util.Set.of("validation.response.body.unexpected")));
    }

    /**
     * @param polls how many polls of an event answer PENDING or RUNNING before it is done
     * @return this
     */
    public synchronized Mem0PlatformSim pollsUntilDone(int polls) {
        this.pollsUntilDone = polls;
        return this;
    }

    /** The next event to finish fails instead. */
    public synchronized void failNextEvent() {
        failNextEvent = true;
    }

    /** @return memories stored (all users) */
    public synchronized int memoryCount() {
        return store.memories.size();
    }

    @Override
    protected Reply handle(SimRequest r) {
        if (!("Token " + API_KEY).equals(r.header("Authorization"))) {
            return Reply.of(401, Map.of("detail", "Invalid API key."));
        }
        String p = r.path();
        try {
            if (p.equals("/v1/ping/") && r.method().equals("GET")) {
                return Reply.of(200, Map.of("status", "ok", "org_id", "org_sim", "project_id", "proj_sim",
                        "user_email", "sim@example.com"));
            }
            if (p.equals("/v3/memories/add/") && r.method().equals("POST")) {
                return add(r.body());
            }
            if (p.equals("/v3/memories/") && r.method().equals("POST")) {
                return list(r);
            }
            if (p.equals("/v3/memories/search/") && r.method().equals("POST")) {
                return search(r.body());
            }
            if (p.startsWith("/v1/event/") && p.endsWith("/") && r.method().equals("GET")) {
                return event(p.substring("/v1/event/".length(), p.length() - 1));
            }
            if (p.startsWith("/v1/memories/") && p.endsWith("/")) {
                return byId(r, p.substring("/v1/memories/".length(), p.length() - 1));
            }
        } catch (Mem0Filters.BadFilter e) {
            return Reply.of(400, Map.of("error", e.getMessage()));
        }
        return Reply.of(404, Map.of("detail", "Not found."));
    }

    private Reply add(JsonNode b) {
        if (b == null || !b.path("messages").isArray() || b.path("messages").isEmpty()) {
            return Reply.of(400, Map.of("error", "messages are required"));
        }
        String user = b.path("user_id").isTextual() ? b.path("user_id").asText() : null;
        if (user == null && !b.has("agent_id") && !b.has("run_id") && !b.has("app_id")) {
            return Reply.of(400, Map.of("error", "At least one entity id is required"));
        }
        if (b.path("infer").asBoolean(true)) {
            Event e = new Event(((ObjectNode) b).deepCopy(), store.now().toString());
            events.put(e.id, e);
            return Reply.of(200, Map.of("status", "PENDING", "event_id", e.id));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode m : b.path("messages")) {
            Mem0Store.Mem mem = store.add(m.path("content").asText(), user, b.get("metadata"));
            results.add(Map.of("id", mem.id, "data", Map.of("memory", mem.text), "event", "ADD"));
        }
        return Reply.of(200, Map.of("message", "Memories added successfully", "status", "SUCCEEDED",
                "event_id", UUID.randomUUID().toString(), "results", results));
    }

    private Reply event(String id) {
        Event e = events.get(id);
        if (e == null) {
            return Reply.of(404, Map.of("error", "Event not found or you don't have permission to access it."));
        }
        if (e.status.equals("PENDING") || e.status.equals("RUNNING")) {
            e.polls++;
            if (e.polls >= pollsUntilDone) {
                if (failNextEvent) {
                    failNextEvent = false;
                    e.status = "FAILED";
                    e.error = "extraction failed";
                } else {
                    for (JsonNode m : e.payload.path("messages")) {
                        if (m.path("role").asText().equals("user")) {
                            e.memoryIds.add(store.add(m.path("content").asText(), e.payload.path("user_id").asText(null),
                                    e.payload.get("metadata")).id);
                        }
                    }
                    e.status = "SUCCEEDED";
                }
            } else {
                e.status = "RUNNING";
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("id", e.id);
        out.put("event_type", "ADD");
        out.put("status", e.status);
        out.set("payload", e.payload);
        out.putNull("metadata");
        ArrayNode results = out.putArray("results");
        for (String mid : e.memoryIds) {
            Mem0Store.Mem m = store.memories.get(mid);
            ObjectNode x = results.addObject();
            x.put("id", mid);
            x.putObject("data").put("memory", m == null ? "" : m.text);
            x.put("event", "ADD");
        }
        out.put("created_at", e.createdAt);
        out.put("updated_at", store.now().toString());
        if (e.error != null) {
            out.put("error", e.error);
        } else {
            out.putNull("error");
        }
        return Reply.of(200, out);
    }

    private Reply list(SimRequest r) {
        JsonNode b = r.body();
        if (b == null || !b.path("filters").isObject()) {
            return Reply.of(400, Map.of("error", "filters are required"));
        }
        if (b.has("user_id") || b.has("agent_id")) {
            return Reply.of(400, Map.of("error", "entity ids must be inside filters"));
        }
        if (!Mem0Filters.namesEntity(b.get("filters"))) {
            return Reply.of(400, Map.of("error", "filters must include an entity id"));
        }
        int page = Integer.parseInt(r.query().getOrDefault("page", "1"));
        int size = Integer.parseInt(r.query().getOrDefault("page_size", "100"));
        if (page < 1 || size < 1 || size > 200) {
            return Reply.of(400, Map.of("error", "bad page or page_size"));
        }
        List<Mem0Store.Mem> all = store.filtered(b.get("filters"));
        int from = Math.min(all.size(), (page - 1) * size);
        int to = Math.min(all.size(), from + size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", all.size());
        out.put("next", to < all.size() ? url() + "/v3/memories/?page=" + (page + 1) + "&page_size=" + size : null);
        out.put("previous", page > 1 ? url() + "/v3/memories/?page=" + (page - 1) + "&page_size=" + size : null);
        out.put("results", all.subList(from, to).stream().map(m -> json(m, "session_id")).toList());
        return Reply.of(200, out);
    }

    private Reply search(JsonNode b) {
        if (b == null || !b.path("query").isTextual() || b.path("query").asText().isEmpty()) {
            return Reply.of(400, Map.of("error", "query is required"));
        }
        if (!Mem0Filters.namesEntity(b.get("filters"))) {
            return Reply.of(400, Map.of("error", "filters must include an entity id"));
        }
        int topK = b.path("top_k").asInt(10);
        double threshold = b.path("threshold").asDouble(0.1);
        String q = b.path("query").asText();
        List<Map.Entry<Mem0Store.Mem, Double>> scored = new ArrayList<>();
        for (Mem0Store.Mem m : store.filtered(b.get("filters"))) {
            double s = Mem0Store.score(q, m.text);
            if (s >= threshold) {
                scored.add(Map.entry(m, s));
            }
        }
        scored.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        List<ObjectNode> results = new ArrayList<>();
        for (Map.Entry<Mem0Store.Mem, Double> e : scored.subList(0, Math.min(topK, scored.size()))) {
            ObjectNode j = json(e.getKey(), "run_id");
            j.put("score", (float) e.getValue().doubleValue());
            results.add(j);
        }
        return Reply.of(200, Map.of("results", results));
    }

    private Reply byId(SimRequest r, String id) {
        if (!Mem0Store.uuid(id)) {
            return Reply.of(400, Map.of("error", "memory_id should be a valid UUID"));
        }
        Mem0Store.Mem m = store.memories.get(id);
        if (m == null) {
            return Reply.of(404, Map.of("error", "Memory not found!"));
        }
        switch (r.method()) {
            case "GET" -> {
                return Reply.of(200, json(m, "session_id"));
            }
            case "PUT" -> {
                JsonNode b = r.body();
                if (b != null && b.path("text").isTextual()) {
                    m.text = b.path("text").asText();
                }
                if (b != null && b.path("metadata").isObject()) {
                    m.metadata = ((ObjectNode) b.get("metadata")).deepCopy();
                }
                m.updatedAt = store.now();
                return Reply.of(200, json(m, "session_id"));
            }
            case "DELETE" -> {
                store.remove(id);
                return Reply.of(200, Map.of("message", "Memory deleted successfully!"));
            }
            default -> {
                return Reply.of(405, Map.of("detail", "Method not allowed."));
            }
        }
    }

    /** A memory as list and get show it ({@code session_id}) or search does ({@code run_id}). */
    private static ObjectNode json(Mem0Store.Mem m, String runKey) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", m.id);
        j.put("memory", m.text);
        j.put("user_id", m.userId);
        j.putNull("agent_id");
        j.putNull("app_id");
        j.putNull(runKey);
        if (m.metadata == null) {
            j.putNull("metadata");
        } else {
            j.set("metadata", m.metadata);
        }
        j.putArray("categories");
        j.put("created_at", m.createdAt.toString());
        j.put("updated_at", m.updatedAt.toString());
        return j;
    }
}
