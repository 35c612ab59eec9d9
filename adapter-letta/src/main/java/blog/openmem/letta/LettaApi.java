package blog.openmem.letta;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Letta's v1 archive and passage routes as the provider needs them: the calls and their wire forms. */
final class LettaApi {
    private final ResilientHttpClient http;

    LettaApi(ResilientHttpClient http) {
        this.http = http;
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @return the archives with this exact name (Letta does not keep names unique), oldest first */
    List<JsonNode> archivesNamed(String name, String requestId) {
        List<JsonNode> out = new ArrayList<>();
        http.send(HttpCall.of("GET", "/v1/archives/").param("name", name).param("order", "asc").param("limit", 50)
                .requestId(requestId).build()).json(JsonNode.class).forEach(out::add);
        return out;
    }

    /** @return the new archive */
    JsonNode createArchive(String name, String embedding, String requestId) {
        ObjectNode body = object().put("name", name).put("description", "OMP memories of one user");
        if (embedding != null) {
            body.put("embedding", embedding);
        }
        // Not retried: a repeat would make a second archive (the convergence rule would still pick one).
        return http.send(HttpCall.of("POST", "/v1/archives/").body(OmpJson.writeBytes(body)).requestId(requestId)
                .build()).json(JsonNode.class);
    }

    void deleteArchive(String archiveId, String requestId) {
        Rest.absentOn404(() -> http.send(HttpCall.of("DELETE", "/v1/archives/" + HttpCall.segment(archiveId))
                .idempotent(true).requestId(requestId).build()));
    }

    /**
     * Writes one passage. Retried: a repeated part carries the same memory id and part number, and
     * reads keep one of each.
     */
    JsonNode addPassage(String archiveId, String text, ObjectNode metadata, List<String> tags, Instant createdAt,
                        String requestId) {
        ObjectNode body = object().put("text", text);
        body.set("metadata", metadata);
        tags.forEach(body.putArray("tags")::add);
        body.put("created_at", Timestamps.format(createdAt));
        return http.send(HttpCall.of("POST", "/v1/archives/" + HttpCall.segment(archiveId) + "/passages")
                .body(OmpJson.writeBytes(body)).idempotent(true).requestId(requestId).build()).json(JsonNode.class);
    }

    /** @return whether the passage existed */
    boolean deletePassage(String archiveId, String passageId, String requestId) {
        return Rest.absentOn404(() -> http.send(HttpCall.of("DELETE", "/v1/archives/" + HttpCall.segment(archiveId)
                + "/passages/" + HttpCall.segment(passageId)).idempotent(true).requestId(requestId).build()))
                .isPresent();
    }

    /**
     * @param archiveId the archive, or null for the whole organisation
     * @param query  the query, or null for passages in creation order
     * @param tags   tags any of which a passage carries, or null
     * @param from   created at or after, or null
     * @param to     created at or before, or null
     * @return {@code [{passage, score, metadata}]}
     */
    List<JsonNode> search(String archiveId, String query, List<String> tags, Instant from, Instant to, int limit,
                          String requestId) {
        ObjectNode body = object().put("limit", limit);
        if (archiveId != null) {
            body.put("archive_id", archiveId);
        }
        if (query != null) {
            body.put("query", query);
        }
        if (tags != null) {
            tags.forEach(body.putArray("tags")::add);
            body.put("tag_match_mode", "any");
        }
        String start = from == null ? null : Timestamps.format(from);
        if (start != null) {
            body.put("start_date", start);
        }
        if (to != null) {
            body.put("end_date", to.equals(from) ? start : Timestamps.format(to)); // a get's one microsecond
        }
        List<JsonNode> out = new ArrayList<>();
        http.send(HttpCall.of("POST", "/v1/passages/search").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(requestId).build()).json(JsonNode.class).forEach(out::add);
        return out;
    }

    /** A cheap call that proves the API answers and the key is accepted. */
    void ping() {
        http.send(HttpCall.of("GET", "/v1/archives/").param("limit", 1).build());
    }
}
