package blog.openmem.supermemory;

import blog.openmem.core.vendor.MetadataCodec;
import blog.openmem.spi.json.Timestamps;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Supermemory's v5 answers read with a streaming parser straight into the adapter's records: a
 * document read, a page of the documents list, search results. No JSON tree is built and then
 * walked again (a read is the adapter's most frequent call; a list makes one per listed document),
 * and fields the adapter does not use are skipped unread. Malformed or mis-shaped answers fail
 * with a {@link JsonParseException} naming what was wrong, which the kit reports as a provider error.
 */
final class V5Json {
    private V5Json() {
    }

    /**
     * @param p a parser before the first token of a document
     * @return the document
     * @throws IOException when the answer is not a document with an id and a creation time
     */
    static SupermemoryApi.Document document(JsonParser p) throws IOException {
        p.nextToken();
        SupermemoryApi.Document d = readDocument(p);
        if (d.id() == null) {
            throw new JsonParseException(p, "a document without a string id");
        }
        return d;
    }

    /**
     * @param p    a parser before the first token of a documents list answer
     * @param page the page asked for (when the answer does not say)
     * @return the page
     * @throws IOException when the answer is not a page of documents
     */
    static SupermemoryApi.Page page(JsonParser p, int page) throws IOException {
        start(p, "a documents page");
        List<SupermemoryApi.Document> docs = new ArrayList<>();
        int current = page;
        int total = 0;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals("documents") && t == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    SupermemoryApi.Document d = readDocument(p);
                    if (d.id() == null) {
                        throw new JsonParseException(p, "a listed document without a string id");
                    }
                    docs.add(d);
                }
            } else if (name.equals("pagination") && t == JsonToken.START_OBJECT) {
                String field;
                while ((field = p.nextFieldName()) != null) {
                    JsonToken v = p.nextToken();
                    if (field.equals("currentPage") && v.isNumeric()) {
                        current = p.getValueAsInt(page);
                    } else if (field.equals("totalPages") && v.isNumeric()) {
                        total = p.getValueAsInt(0);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return new SupermemoryApi.Page(docs, current < total);
    }

    /**
     * @param p      a parser before the first token of a search answer
     * @param chunks whether the hits are chunks ({@code chunk}) or extracted memories ({@code memory})
     * @return the hits whose document is included with an id, in the answer's order
     * @throws IOException when the answer is not search results
     */
    static List<SupermemoryApi.Hit> hits(JsonParser p, boolean chunks) throws IOException {
        start(p, "search results");
        String textField = chunks ? "chunk" : "memory";
        List<SupermemoryApi.Hit> out = new ArrayList<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (!name.equals("results") || t != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new JsonParseException(p, "a search result object was expected");
                }
                SupermemoryApi.Document doc = null;
                String text = null;
                double similarity = 0;
                String field;
                while ((field = p.nextFieldName()) != null) {
                    JsonToken v = p.nextToken();
                    if (field.equals(textField)) {
                        text = v == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    } else if (field.equals("similarity") && v.isNumeric()) {
                        similarity = p.getDoubleValue();
                    } else if (field.equals("included") && v == JsonToken.START_OBJECT) {
                        doc = included(p);
                    } else {
                        p.skipChildren();
                    }
                }
                if (doc != null && doc.id() != null) {
                    out.add(new SupermemoryApi.Hit(doc, text, similarity));
                }
            }
        }
        return out;
    }

    /** A hit's {@code included} object: its {@code document}, if any. */
    private static SupermemoryApi.Document included(JsonParser p) throws IOException {
        SupermemoryApi.Document doc = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (field.equals("document") && v == JsonToken.START_OBJECT) {
                doc = readDocument(p);
            } else {
                p.skipChildren();
            }
        }
        return doc;
    }

    private static void start(JsonParser p, String what) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, what + " object was expected");
        }
    }

    /**
     * A document, list item or hit's document, its lifecycle under {@code system}; the parser on its
     * {@code START_OBJECT}. The id is null when the object has no string id.
     */
    @SuppressWarnings("unchecked") // plainValue gives a Map<String, Object> for an object
    private static SupermemoryApi.Document readDocument(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "a document object was expected");
        }
        String id = null;
        String content = null;
        String status = "done";
        String created = null;
        String updated = null;
        Map<String, ?> metadata = Map.of();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = t == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                case "content" -> content = t == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                case "metadata" -> metadata = t == JsonToken.START_OBJECT
                        ? (Map<String, ?>) MetadataCodec.plainValue(p) : skipTo(p, Map.of());
                case "system" -> {
                    if (t != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    String field;
                    while ((field = p.nextFieldName()) != null) {
                        JsonToken v = p.nextToken();
                        String text = v == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                        switch (field) {
                            case "status" -> status = text == null ? status : text;
                            case "createdAt" -> created = text;
                            case "updatedAt" -> updated = text;
                            default -> { }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new SupermemoryApi.Document(id, content, status, time(p, "createdAt", created),
                updated == null ? null : time(p, "updatedAt", updated), metadata);
    }

    private static Instant time(JsonParser p, String field, String text) throws JsonParseException {
        if (text != null) {
            try {
                return Timestamps.parse(text);
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw new JsonParseException(p, "a document's system." + field + " is not a timestamp");
    }

    /** Skips the current value (a container whole) and returns null: a field of the wrong type. */
    private static String skip(JsonParser p) throws IOException {
        return skipTo(p, null);
    }

    private static <T> T skipTo(JsonParser p, T value) throws IOException {
        p.skipChildren();
        return value;
    }
}
