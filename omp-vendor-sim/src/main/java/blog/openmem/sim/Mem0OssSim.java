package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mem0's self-hosted REST server ({@code server/main.py}) as its derived OpenAPI file describes it:
 * {@code X-API-Key}; no trailing slashes; synchronous {@code POST /memories}; {@code GET
 * /memories/{id}} answering JSON {@code null} for an unknown id; {@code PUT} and {@code DELETE}
 * answering only a message (404 {@code {"detail"}} for an unknown id); {@code GET /memories} with
 * {@code top_k} and no paging; {@code POST /search} with {@code filters}.
 */
public final class Mem0OssSim extends VendorSim {
    /** The key the simulator accepts. */
    public static final String API_KEY = "m0-oss-sim-key";

    private final Mem0Store store = new Mem0Store();

    /** A simulator checked against the derived OpenAPI file of Mem0's REST server. */
    public Mem0OssSim() {
        // The file is OpenAPI 3.1 and the validator reads 3.0 (see SOURCE.md).
        super(OpenApiContract.load("/blog/openmem/sim/mem0/mem0-oss-server.derived.openapi.yaml",
                OpenApiContract::toOpenApi30));
    }

    /** @return memories stored (all users) */
    public synchronized int memoryCount() {
        return store.memories.size();
    }

    @Override
    protected Reply handle(SimRequest r) {
        if (!API_KEY.equals(r.header("X-API-Key"))) {
            return Reply.of(401, Map.of("detail", "Invalid API key."));
        }
        String p = r.path();
        try {
            if (p.equals("/memories") && r.method().equals("POST")) {
                return add(r.body());
            }
            if (p.equals("/memories") && r.method().equals("GET")) {
                return list(r);
            }
            if (p.equals("/search") && r.method().equals("POST")) {
                return search(r.body());
            }
            if (p.startsWith("/memories/") && p.indexOf('/', "/memories/".length()) < 0) {
                return byId(r, p.substring("/memories/".length()));
            }
        } catch (Mem0Filters.BadFilter e) {
            return Reply.of(400, Map.of("detail", e.getMessage()));
        }
        return Reply.of(404, Map.of("detail", "Not Found"));
    }

    private Reply add(JsonNode b) {
        if (b == null || !b.path("messages").isArray() || b.path("messages").isEmpty()) {
            return Reply.of(422, Map.of("detail", List.of(Map.of("loc", List.of("body", "messages"),
                    "msg", "Field required", "type", "missing"))));
        }
        if (!b.path("user_id").isTextual() && !b.path("agent_id").isTextual() && !b.path("run_id").isTextual()) {
            return Reply.of(400, Map.of("detail", "At least one identifier (user_id, agent_id, run_id) is required."));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode m : b.path("messages")) {
            Mem0Store.Mem mem = store.add(m.path("content").asText(), b.path("user_id").asText(null), b.get("metadata"));
            results.add(Map.of("id", mem.id, "memory", mem.text, "event", "ADD", "role", m.path("role").asText()));
        }
        return Reply.of(200, Map.of("results", results));
    }

    private Reply list(SimRequest r) {
        String user = r.query().get("user_id");
        int topK = Integer.parseInt(r.query().getOrDefault("top_k", "20"));
        ObjectNode filter = JSON.createObjectNode();
        if (user != null) {
            filter.put("user_id", user);
        }
        List<Object> out = new ArrayList<>();
        for (Mem0Store.Mem m : store.filtered(filter)) {
            if (out.size() == topK) {
                break;
            }
            out.add(json(m));
        }
        return Reply.of(200, Map.of("results", out));
    }

    private Reply search(JsonNode b) {
        if (b == null || !b.path("query").isTextual()) {
            return Reply.of(422, Map.of("detail", List.of(Map.of("loc", List.of("body", "query"),
                    "msg", "Field required", "type", "missing"))));
        }
        JsonNode filters = b.path("filters");
        if (!Mem0Filters.namesEntity(filters)) {
            return Reply.of(400, Map.of("detail", "At least one of user_id, agent_id or run_id is required in filters."));
        }
        int topK = b.path("top_k").asInt(20);
        double threshold = b.path("threshold").asDouble(0.1);
        List<Map.Entry<Mem0Store.Mem, Double>> scored = new ArrayList<>();
        for (Mem0Store.Mem m : store.filtered(filters)) {
            double s = Mem0Store.score(b.path("query").asText(), m.text);
            if (s >= threshold) {
                scored.add(Map.entry(m, s));
            }
        }
        scored.sort((x, y) -> Double.compare(y.getValue(), x.getValue()));
        List<Object> out = new ArrayList<>();
        for (Map.Entry<Mem0Store.Mem, Double> e : scored.subList(0, Math.min(topK, scored.size()))) {
            out.add(json(e.getKey()).put("score", e.getValue()));
        }
        return Reply.of(200, Map.of("results", out));
    }

    private Reply byId(SimRequest r, String id) {
        Mem0Store.Mem m = store.memories.get(id);
        switch (r.method()) {
            case "GET" -> {
                return Reply.of(200, m == null ? NullNode.getInstance() : json(m));
            }
            case "PUT" -> {
                if (m == null) {
                    return Reply.of(404, Map.of("detail", "Memory with id " + id + " not found"));
                }
                JsonNode b = r.body();
                if (b != null && b.path("text").isTextual()) {
                    m.text = b.path("text").asText();
                }
                if (b != null && b.path("metadata").isObject()) {
                    m.metadata = ((ObjectNode) b.get("metadata")).deepCopy();
                }
                m.updatedAt = store.now();
                return Reply.of(200, Map.of("message", "Memory updated successfully!"));
            }
            case "DELETE" -> {
                if (m == null) {
                    return Reply.of(404, Map.of("detail", "Memory with id " + id + " not found"));
                }
                store.remove(id);
                return Reply.of(200, Map.of("message", "Memory deleted successfully"));
            }
            default -> {
                return Reply.of(405, Map.of("detail", "Method Not Allowed"));
            }
        }
    }

    private static ObjectNode json(Mem0Store.Mem m) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", m.id);
        j.put("memory", m.text);
        j.putNull("hash");
        if (m.metadata == null) {
            j.putNull("metadata");
        } else {
            j.set("metadata", m.metadata);
        }
        j.put("created_at", m.createdAt.toString());
        j.put("updated_at", m.updatedAt.toString());
        if (m.userId != null) {
            j.put("user_id", m.userId);
        }
        return j;
    }
}
