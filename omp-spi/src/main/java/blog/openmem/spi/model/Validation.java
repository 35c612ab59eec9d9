package blog.openmem.spi.model;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.scope.ScopePattern;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The argument rules of CONTRACT §3, in one place: the client facade runs them before any I/O
 * and the server before calling it. Every failure is a 400 naming the field.
 */
public final class Validation {
    /** Most tags on one memory. */
    public static final int MAX_TAGS = 100;
    /** Longest tag, in characters. */
    public static final int MAX_TAG_LENGTH = 256;
    /** Longest memory id (in {@code supersedes} and paths), in characters. */
    public static final int MAX_ID_LENGTH = 256;
    /** Most ids one add or update may name in {@code supersedes}. */
    public static final int MAX_SUPERSEDES_PER_REQUEST = 100;
    /** Most ids a memory's {@code supersedes} may hold after updates have appended to it. */
    public static final int MAX_SUPERSEDES = 1_000;
    /** Most {@code x-} fields on one memory. */
    public static final int MAX_EXTENSION_FIELDS = 64;
    /** Longest {@code x-} field name, in characters. */
    public static final int MAX_EXTENSION_NAME_LENGTH = 128;
    /** Deepest nesting of arrays and objects inside one {@code x-} value (a scalar is depth 0). */
    public static final int MAX_EXTENSION_DEPTH = 32;
    /** Largest size of all {@code x-} values of one memory together, as UTF-8 JSON. */
    public static final int MAX_EXTENSION_BYTES = 64 * 1024;

    private Validation() {
    }

    /**
     * Text every backend can store and give back unchanged: no NUL character (PostgreSQL refuses it,
     * other stores cut at it) and no unpaired UTF-16 surrogate (it has no UTF-8 form, so a store
     * would replace it and two different values could become one).
     *
     * @param value a string from a caller; null passes
     * @param field the field to name in the error
     * @throws InvalidRequestException when the text holds such a character
     */
    public static void text(String value, String field) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new InvalidRequestException(field + ": must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidRequestException(field + ": contains an unpaired UTF-16 surrogate (malformed text)");
            }
            if (Character.isLowSurrogate(c)) {
                throw new InvalidRequestException(field + ": contains an unpaired UTF-16 surrogate (malformed text)");
            }
        }
    }

    /**
     * @param value an instant from a caller; null passes
     * @param field the field to name in the error
     * @throws InvalidRequestException outside years 0001..9999 (what RFC 3339 and every store can hold)
     */
    public static void instant(Instant value, String field) {
        if (value != null && (value.isBefore(Timestamps.MIN) || value.isAfter(Timestamps.MAX))) {
            throw new InvalidRequestException(field + ": must lie between years 0001 and 9999 (UTC)");
        }
    }

    /**
     * @param userId a user id
     * @throws InvalidRequestException when blank
     */
    public static void userId(String userId) {
        notBlank(userId, "user_id");
        text(userId, "user_id");
    }

    /**
     * @param id a memory id
     * @throws InvalidRequestException when blank
     */
    public static void memoryId(String id) {
        notBlank(id, "id");
        text(id, "id");
    }

    /**
     * @param in               an add request
     * @param maxContentLength the provider's content limit
     */
    public static void input(MemoryInput in, int maxContentLength) {
        if (in == null) {
            throw new InvalidRequestException("body: must be a JSON object");
        }
        content(in.content(), maxContentLength);
        userId(in.userId());
        if (in.scope() != null) {
            text(in.scope(), "scope");
            ScopePattern.validateScope(in.scope(), "scope");
        }
        tags(in.tags());
        confidence(in.confidence());
        ids(in.supersedes(), "supersedes");
        if (in.source() != null) {
            text(in.source().app(), "source.app");
            text(in.source().ref(), "source.ref");
        }
        instant(in.validFrom(), "valid_from");
        instant(in.validTo(), "valid_to");
        extensions(in.extensions());
        if (in.validFrom() != null && in.validTo() != null && !in.validTo().isAfter(in.validFrom())) {
            throw new InvalidRequestException("valid_to: must be after valid_from");
        }
    }

    /**
     * @param inputs           a batch of add requests
     * @param maxContentLength the provider's content limit
     */
    public static void inputs(List<MemoryInput> inputs, int maxContentLength) {
        if (inputs == null) {
            throw new InvalidRequestException("items: must be an array");
        }
        for (int i = 0; i < inputs.size(); i++) {
            try {
                input(inputs.get(i), maxContentLength);
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("items[" + i + "]." + e.getMessage());
            }
        }
    }

    /**
     * @param u                an update
     * @param maxContentLength the provider's content limit
     */
    public static void update(MemoryUpdate u, int maxContentLength) {
        if (u == null) {
            throw new InvalidRequestException("body: must be a JSON object");
        }
        if (u.content().isClear()) {
            throw new InvalidRequestException("content: must not be null");
        }
        if (u.content().isSet()) {
            content(u.content().value(), maxContentLength);
        }
        if (u.scope().isSet()) {
            text(u.scope().value(), "scope");
            ScopePattern.validateScope(u.scope().value(), "scope");
        }
        if (u.tags().isSet()) {
            tags(u.tags().value());
        }
        if (u.confidence().isSet()) {
            confidence(u.confidence().value());
        }
        if (u.validTo().isSet()) {
            instant(u.validTo().value(), "valid_to");
        }
        ids(u.supersedes(), "supersedes");
    }

    /**
     * @param q a list query
     */
    public static void list(ListQuery q) {
        userId(q.userId());
        range(q.limit(), 1, ListQuery.MAX_LIMIT, "limit");
        if (q.scope() != null) {
            text(q.scope(), "scope");
            ScopePattern.parse(q.scope());
        }
        if (q.tag() != null) {
            notBlank(q.tag(), "tag");
            text(q.tag(), "tag");
        }
        if (q.cursor() != null) {
            notBlank(q.cursor(), "cursor");
            text(q.cursor(), "cursor");
        }
        instant(q.since(), "since");
        instant(q.until(), "until");
    }

    /**
     * @param q          a search query
     * @param maxResults the provider's {@code limits.max_search_results}
     */
    public static void search(SearchQuery q, int maxResults) {
        notBlank(q.query(), "query");
        text(q.query(), "query");
        userId(q.userId());
        instant(q.asOf(), "as_of");
        range(q.limit(), 1, Math.min(SearchQuery.MAX_LIMIT, maxResults), "limit");
        if (q.scope() != null) {
            text(q.scope(), "scope");
            ScopePattern.parse(q.scope());
        }
        if (q.minScore() != null && !(q.minScore() >= 0.0 && q.minScore() <= 1.0)) {
            throw new InvalidRequestException("min_score: must be between 0 and 1");
        }
    }

    /**
     * @param q a context query
     */
    public static void context(ContextQuery q) {
        notBlank(q.query(), "query");
        text(q.query(), "query");
        userId(q.userId());
        instant(q.asOf(), "as_of");
        range(q.tokenBudget(), 1, ContextQuery.MAX_TOKEN_BUDGET, "token_budget");
        if (q.scope() != null) {
            text(q.scope(), "scope");
            ScopePattern.parse(q.scope());
        }
    }

    /**
     * @param q an audit query
     */
    public static void audit(AuditQuery q) {
        userId(q.userId());
        text(q.app(), "app");
        instant(q.since(), "since");
        range(q.limit(), 1, AuditQuery.MAX_LIMIT, "limit");
    }

    private static void content(String content, int max) {
        if (content == null) {
            throw new InvalidRequestException("content: is required");
        }
        if (content.isBlank()) {
            throw new InvalidRequestException("content: must not be blank");
        }
        text(content, "content");
        int chars = content.codePointCount(0, content.length());
        if (chars > max) {
            throw new InvalidRequestException("content: must be at most " + max + " characters, was " + chars);
        }
    }

    private static void tags(List<String> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidRequestException("tags: at most " + MAX_TAGS + " tags, was " + tags.size());
        }
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || t.isBlank()) {
                throw new InvalidRequestException("tags[" + i + "]: must not be blank");
            }
            if (t.length() > MAX_TAG_LENGTH) {
                throw new InvalidRequestException("tags[" + i + "]: must be at most " + MAX_TAG_LENGTH + " characters");
            }
            text(t, "tags[" + i + "]");
        }
    }

    private static void ids(List<String> ids, String field) {
        if (ids == null) {
            return;
        }
        if (ids.size() > MAX_SUPERSEDES_PER_REQUEST) {
            throw new InvalidRequestException(field + ": at most " + MAX_SUPERSEDES_PER_REQUEST + " ids per request, was "
                    + ids.size());
        }
        for (int i = 0; i < ids.size(); i++) {
            String t = ids.get(i);
            if (t == null || t.isBlank()) {
                throw new InvalidRequestException(field + "[" + i + "]: must not be blank");
            }
            if (t.length() > MAX_ID_LENGTH) {
                throw new InvalidRequestException(field + "[" + i + "]: must be at most " + MAX_ID_LENGTH
                        + " characters");
            }
            text(t, field + "[" + i + "]");
        }
    }

    /**
     * The bounds on {@code x-} fields: what is stored must always be servable back (any depth the
     * request parser allowed could be too deep to write inside a page), so names, nesting and size
     * are limited at the door and every string in a value obeys {@link #text}.
     *
     * @param extensions the {@code x-} fields of an add
     * @throws InvalidRequestException naming the field over a bound
     */
    public static void extensions(Map<String, Object> extensions) {
        if (extensions == null || extensions.isEmpty()) {
            return;
        }
        if (extensions.size() > MAX_EXTENSION_FIELDS) {
            throw new InvalidRequestException("x-: at most " + MAX_EXTENSION_FIELDS + " extension fields, was "
                    + extensions.size());
        }
        for (Map.Entry<String, Object> e : extensions.entrySet()) {
            String name = e.getKey();
            text(name, "x-");
            if (name.length() > MAX_EXTENSION_NAME_LENGTH) {
                throw new InvalidRequestException("x-: field names must be at most " + MAX_EXTENSION_NAME_LENGTH
                        + " characters");
            }
            extensionValue(e.getValue(), name, 0);
        }
        int bytes = OmpJson.writeBytes(extensions).length;
        if (bytes > MAX_EXTENSION_BYTES) {
            throw new InvalidRequestException("x-: extension fields must be at most " + MAX_EXTENSION_BYTES
                    + " bytes of JSON together, were " + bytes);
        }
    }

    private static void extensionValue(Object v, String field, int depth) {
        boolean container = v instanceof Map || v instanceof Collection
                || (v instanceof JsonNode n && n.isContainerNode());
        if (container && depth >= MAX_EXTENSION_DEPTH) {
            throw new InvalidRequestException(field + ": nested deeper than " + MAX_EXTENSION_DEPTH + " levels");
        }
        if (v instanceof String s) {
            text(s, field);
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                text(String.valueOf(e.getKey()), field);
                extensionValue(e.getValue(), field, depth + 1);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                extensionValue(o, field, depth + 1);
            }
        } else if (v instanceof JsonNode n) {
            if (n.isTextual()) {
                text(n.textValue(), field);
            } else if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    text(e.getKey(), field);
                    extensionValue(e.getValue(), field, depth + 1);
                }
            } else if (n.isArray()) {
                for (JsonNode o : n) {
                    extensionValue(o, field, depth + 1);
                }
            }
        }
    }

    private static void confidence(Double c) {
        if (c != null && !(c >= 0.0 && c <= 1.0)) {
            throw new InvalidRequestException("confidence: must be between 0 and 1");
        }
    }

    private static void range(int v, int min, int max, String field) {
        if (v < min || v > max) {
            throw new InvalidRequestException(field + ": must be between " + min + " and " + max + ", was " + v);
        }
    }

    private static void notBlank(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new InvalidRequestException(field + ": must not be blank");
        }
    }
}
