package blog.openmem.mem0;

import blog.openmem.core.vendor.MetadataCodec;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Mem0 memory object as the adapter reads it (both APIs give the same fields), read straight
 * from the answer's bytes: a page of memories is mapped without building a JSON tree first, which
 * cost as much again as the mapping. Fields Mem0 sends that OMP has no use for are skipped.
 *
 * @param id         Mem0's id
 * @param memory     the text
 * @param userId     Mem0's {@code user_id}, or null
 * @param metadata   the metadata as plain values ({@link MetadataCodec#plainValue(JsonParser)}), never null
 * @param categories Mem0's categories, or null when none
 * @param createdAt  {@code created_at} as sent, or null
 * @param updatedAt  {@code updated_at} as sent, or null
 * @param score      the search score, or null outside search results
 */
record Mem0Memory(String id, String memory, String userId, Map<String, Object> metadata, List<Object> categories,
                  String createdAt, String updatedAt, Double score) {

    /**
     * @param p a parser whose current token is the object's {@code START_OBJECT}
     * @return the memory; the parser is left on its {@code END_OBJECT}
     * @throws IOException when the JSON is malformed or not an object
     */
    @SuppressWarnings("unchecked")
    static Mem0Memory read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "a memory object was expected");
        }
        String id = null;
        String memory = null;
        String user = null;
        Map<String, Object> metadata = Map.of();
        List<Object> categories = null;
        String created = null;
        String updated = null;
        Double score = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = text(p, t);
                case "memory" -> memory = text(p, t);
                case "user_id" -> user = text(p, t);
                case "created_at" -> created = text(p, t);
                case "updated_at" -> updated = text(p, t);
                case "score" -> score = t.isNumeric() ? p.getDoubleValue() : null;
                case "metadata" -> {
                    Object m = MetadataCodec.plainValue(p);
                    metadata = m instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
                }
                case "categories" -> {
                    Object c = MetadataCodec.plainValue(p);
                    categories = c instanceof List<?> list && !list.isEmpty() ? (List<Object>) list : null;
                }
                default -> p.skipChildren();
            }
        }
        return new Mem0Memory(id, memory, user, metadata, categories, created, updated, score);
    }

    /**
     * @param p a parser before the first token of an object holding {@code results}
     * @return the memories of {@code results}, and the object's {@code next} link when it has one
     * @throws IOException when the JSON is malformed
     */
    static Results readResults(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "an object with results was expected");
        }
        List<Mem0Memory> results = List.of();
        String next = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals("results") && t == JsonToken.START_ARRAY) {
                results = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    results.add(read(p));
                }
            } else if (name.equals("next") && t == JsonToken.VALUE_STRING) {
                next = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return new Results(results, next);
    }

    /**
     * @param p a parser before the first token of a memory object (or JSON null)
     * @return the memory, or null for JSON null
     * @throws IOException when the JSON is malformed
     */
    static Mem0Memory readOne(JsonParser p) throws IOException {
        return p.nextToken() == JsonToken.VALUE_NULL ? null : read(p);
    }

    /** A string field; a number is kept as its text (ids), a container is skipped as no text. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t.isStructStart()) {
            p.skipChildren();
            return null;
        }
        return t == JsonToken.VALUE_STRING ? p.getText() : t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
    }

    /**
     * A list or search answer.
     *
     * @param results the memories
     * @param next    the link to the next page (platform list), or null
     */
    record Results(List<Mem0Memory> results, String next) {
    }
}
