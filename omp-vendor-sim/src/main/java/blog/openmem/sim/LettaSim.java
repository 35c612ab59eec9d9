package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Letta's v1 archive and passage routes as Letta serves them for archives kept in its own database
 * ({@code vector_db_provider: native}), from the verbatim OpenAPI file and the server's source
 * ({@code letta-ai/letta} branch {@code archive}: {@code routers/v1/archives.py},
 * {@code routers/v1/passages.py}, {@code agent_manager.query_agent_passages_async},
 * {@code build_agent_passage_query}): {@code Authorization: Bearer <key>}; archives by id, listed
 * newest first by default and filtered by exact name (names are not unique); passages created in an
 * archive with {@code text}, {@code metadata}, {@code tags} and an optional {@code created_at};
 * deleted one by one (204; 404 {@code {"detail"}} when missing); no route lists an archive's passages
 * and none edits one. {@code POST /v1/passages/search}: confined to {@code archive_id} when given,
 * {@code start_date}/{@code end_date} inclusive; with a query, passages in order of similarity
 * (the simulator's word overlap stands in for cosine distance), without one in order of
 * {@code created_at}, then id; the {@code limit} is applied <em>before</em> the tag filter (the
 * server filters tags afterwards, in Python), and every score is {@code 0.0}, as the server's SQL
 * path answers. Malformed ids and bodies are 422 in the file's {@code HTTPValidationError} shape.
 */
public final class LettaSim extends VendorSim {
    /** The key the simulator accepts. */
    public static final String API_KEY = "letta_sim_key";
    private static final Pattern ARCHIVE_ID = Pattern.compile(
            "archive-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern PASSAGE_ID = Pattern.compile(
            "passage-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final String ORG = "org-00000000-0000-4000-8000-000000000000";

    private final SimClock clock = new SimClock();
    private final Map<String, Archive> archives = new LinkedHashMap<>();

    private static final class Archive {
        final String id = "archive-" + UUID.randomUUID();
        final String name;
        final String description;
        final Instant createdAt;
        final Map<String, Passage> passages = new LinkedHashMap<>();

        Archive(String name, String description, Instant createdAt) {
            this.name = name;
            this.description = description;
            this.createdAt = createdAt;
        }
    }

    private record Passage(String id, String archiveId, String text, JsonNode metadata, List<String> tags,
                           Instant createdAt, Instant updatedAt) {
    }

    /**
     * A simulator checked against Letta's v1 OpenAPI file. Letta answers 404 {@code {"detail"}} for
     * a missing archive or passage where the file declares only 200 and 422: an undeclared status is
     * a warning, not a violation; its body is still checked where declared.
     */
    public LettaSim() {
        super(OpenApiContract.load("/blog/openmem/sim/letta/letta-v1.openapi.json", spec -> {
            // The validator cannot read the streaming routes' text/event-stream answers (see SOURCE.md).
            spec.path("paths").forEach(item -> item.forEach(op -> op.path("responses").forEach(r -> {
                if (r.path("content") instanceof ObjectNode c) {
                    c.remove("text/event-stream");
                }
            })));
            // Three entries of routes the adapter does not use break the schema of OpenAPI itself: a
            // media type with a description (/v1/conversations/{id}/messages) and request schemas
            // with a summary (/v1/templates, /v1/templates/{project_id}). Dropped, nothing else.
            spec.path("paths").forEach(item -> item.forEach(op -> {
                op.path("responses").forEach(r -> r.path("content").forEach(media -> {
                    if (media instanceof ObjectNode o) {
                        o.remove("description");
                    }
                }));
                op.path("requestBody").path("content").forEach(media -> dropSummaries(media.path("schema")));
            }));
            // Archive requires organization_id but does not list it among its properties, which it
            // closes (additionalProperties: false): no answer could pass. The server sends it
            // (schemas/archive.py: organization_id: str); listed as a string.
            ((ObjectNode) spec.path("components").path("schemas").path("Archive").path("properties"))
                    .putObject("organization_id").put("type", "string");
            return OpenApiContract.toOpenApi30(spec);
        }, Set.of("validation.response.status.unknown")));
    }

    private static void dropSummaries(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.path("summary").isTextual()) {
                o.remove("summary");
            }
            o.forEach(LettaSim::dropSummaries);
        } else if (schema.isArray()) {
            schema.forEach(LettaSim::dropSummaries);
        }
    }

    /** @return passages stored (all archives) */
    public synchronized int passageCount() {
        return archives.values().stream().mapToInt(a -> a.passages.size()).sum();
    }

    /**
     * Deletes archives as another client of the account would.
     *
     * @param name an archive name
     */
    public synchronized void deleteArchivesNamed(String name) {
        archives.values().removeIf(a -> a.name.equals(name));
    }

    /**
     * @param archiveId an archive id
     * @return how many passages it holds (0 when there is no such archive)
     */
    public synchronized int passagesIn(String archiveId) {
        Archive a = archives.get(archiveId);
        return a == null ? 0 : a.passages.size();
    }

    /**
     * @param name an archive name
     * @return how many archives carry it
     */
    public synchronized int archivesNamed(String name) {
        return (int) archives.values().stream().filter(a -> a.name.equals(name)).count();
    }

    @Override
    protected Reply handle(SimRequest r) {
        if (!("Bearer " + API_KEY).equals(r.header("Authorization"))) {
            return detail(401, "Unauthorized");
        }
        String p = r.path();
        String m = r.method();
        if (p.equals("/v1/archives/") || p.equals("/v1/archives")) {
            return m.equals("POST") ? createArchive(r.body()) : m.equals("GET") ? listArchives(r) : detail(405, "");
        }
        if (p.equals("/v1/passages/search") && m.equals("POST")) {
            return search(r.body());
        }
        if (p.startsWith("/v1/archives/")) {
            String[] parts = p.substring("/v1/archives/".length()).split("/", -1);
            if (!ARCHIVE_ID.matcher(parts[0]).matches()) {
                return invalid("path", "archive_id", "String should match the archive id pattern");
            }
            Archive a = archives.get(parts[0]);
            if (parts.length == 1) {
                if (a == null) {
                    return detail(404, "Archive with id " + parts[0] + " not found");
                }
                if (m.equals("GET")) {
                    return Reply.of(200, archive(a));
                }
                if (m.equals("DELETE")) {
                    archives.remove(a.id);
                    return Reply.of(204, null);
                }
            } else if (parts.length == 2 && parts[1].equals("passages") && m.equals("POST")) {
                return a == null ? detail(404, "Archive with id " + parts[0] + " not found") : addPassage(a, r.body());
            } else if (parts.length == 3 && parts[1].equals("passages") && m.equals("DELETE")) {
                if (!PASSAGE_ID.matcher(parts[2]).matches()) {
                    return invalid("path", "passage_id", "String should match the passage id pattern");
                }
                if (a == null || a.passages.remove(parts[2]) == null) {
                    return detail(404, "Passage with id " + parts[2] + " not found");
                }
                return Reply.of(204, null);
            }
        }
        return detail(404, "Not Found");
    }

    private Reply createArchive(JsonNode b) {
        if (b == null || !b.path("name").isTextual()) {
            return invalid("body", "name", "Field required");
        }
        Archive a = new Archive(b.get("name").asText(), b.path("description").isTextual()
                ? b.get("description").asText() : null, clock.now());
        archives.put(a.id, a);
        return Reply.of(200, archive(a));
    }

    private Reply listArchives(SimRequest r) {
        String name = r.query().get("name");
        boolean asc = "asc".equals(r.query().get("order"));
        int limit = Integer.parseInt(r.query().getOrDefault("limit", "50"));
        List<Archive> all = new ArrayList<>();
        for (Archive a : archives.values()) {
            if (name == null || a.name.equals(name)) {
                all.add(a);
            }
        }
        Comparator<Archive> by = Comparator.comparing((Archive a) -> a.createdAt).thenComparing(a -> a.id);
        all.sort(asc ? by : by.reversed());
        String after = r.query().get("after");
        if (after != null) {
            int i = indexOf(all, after);
            all = i < 0 ? all : all.subList(i + 1, all.size());
        }
        return Reply.of(200, all.subList(0, Math.min(limit, all.size())).stream().map(LettaSim::archive).toList());
    }

    private static int indexOf(List<Archive> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id.equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private Reply addPassage(Archive a, JsonNode b) {
        if (b == null || !b.path("text").isTextual()) {
            return invalid("body", "text", "Field required");
        }
        Instant created;
        try {
            created = b.path("created_at").isTextual() ? Instant.parse(b.get("created_at").asText()) : clock.now();
        } catch (DateTimeParseException e) {
            return invalid("body", "created_at", "Input should be a valid datetime");
        }
        List<String> tags = new ArrayList<>();
        b.path("tags").forEach(t -> tags.add(t.asText()));
        Passage p = new Passage("passage-" + UUID.randomUUID(), a.id, b.get("text").asText(),
                b.path("metadata").isObject() ? b.get("metadata").deepCopy() : JSON.createObjectNode(),
                List.copyOf(tags), created, clock.now());
        a.passages.put(p.id(), p);
        return Reply.of(200, passage(p));
    }

    private Reply search(JsonNode b) {
        JsonNode body = b == null ? JSON.createObjectNode() : b;
        int limit = body.path("limit").asInt(50);
        if (limit < 1 || limit > 100) {
            return invalid("body", "limit", "Input should be between 1 and 100");
        }
        Instant start;
        Instant end;
        try {
            start = body.path("start_date").isTextual() ? Instant.parse(body.get("start_date").asText()) : null;
            end = body.path("end_date").isTextual() ? Instant.parse(body.get("end_date").asText()) : null;
        } catch (DateTimeParseException e) {
            return invalid("body", "start_date", "Input should be a valid datetime");
        }
        String archiveId = body.path("archive_id").asText(null);
        String query = body.path("query").isTextual() && !body.get("query").asText().isEmpty()
                ? body.get("query").asText() : null;
        List<Passage> rows = new ArrayList<>();
        for (Archive a : archives.values()) {
            if (archiveId == null || a.id.equals(archiveId)) {
                for (Passage p : a.passages.values()) {
                    boolean inWindow = (start == null || !p.createdAt().isBefore(start))
                            && (end == null || !p.createdAt().isAfter(end));
                    if (inWindow) {
                        rows.add(p);
                    }
                }
            }
        }
        Comparator<Passage> byTime = Comparator.comparing(Passage::createdAt).thenComparing(Passage::id);
        rows.sort(query == null ? byTime
                : Comparator.comparingDouble((Passage p) -> -Mem0Store.score(query, p.text())).thenComparing(byTime));
        rows = rows.subList(0, Math.min(limit, rows.size()));
        // Tags are filtered after the limit, as the server's SQL path does.
        List<String> tags = new ArrayList<>();
        body.path("tags").forEach(t -> tags.add(t.asText()));
        boolean all = "all".equals(body.path("tag_match_mode").asText("any"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Passage p : rows) {
            if (tags.isEmpty() || (all ? p.tags().containsAll(tags) : p.tags().stream().anyMatch(tags::contains))) {
                out.add(Map.of("passage", passage(p), "score", 0.0, "metadata", Map.of()));
            }
        }
        return Reply.of(200, out);
    }

    private static ObjectNode archive(Archive a) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", a.id);
        j.put("name", a.name);
        if (a.description == null) {
            j.putNull("description");
        } else {
            j.put("description", a.description);
        }
        j.put("organization_id", ORG);
        j.put("vector_db_provider", "native");
        j.putNull("embedding_config");
        j.putObject("metadata");
        j.put("created_at", a.createdAt.toString());
        j.put("updated_at", a.createdAt.toString());
        return j;
    }

    private static ObjectNode passage(Passage p) {
        ObjectNode j = JSON.createObjectNode();
        j.put("id", p.id());
        j.put("text", p.text());
        j.set("metadata", p.metadata().deepCopy());
        p.tags().forEach(j.putArray("tags")::add);
        j.put("archive_id", p.archiveId());
        j.putNull("file_id");
        j.putNull("file_name");
        j.put("is_deleted", false);
        j.put("created_at", p.createdAt().toString());
        j.put("updated_at", p.updatedAt().toString());
        j.putNull("embedding");
        j.putNull("embedding_config");
        return j;
    }

    private static Reply detail(int status, String message) {
        return Reply.of(status, Map.of("detail", message));
    }

    /** 422 in the file's {@code HTTPValidationError} shape. */
    private static Reply invalid(String where, String field, String message) {
        return Reply.of(422, Map.of("detail", List.of(Map.of("loc", List.of(where, field), "msg", message,
                "type", "value_error"))));
    }
}
