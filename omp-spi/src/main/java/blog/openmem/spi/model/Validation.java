package blog.openmem.spi.model;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.scope.ScopePattern;
import java.util.List;

/**
 * The argument rules of CONTRACT §3, in one place: the client facade runs them before any I/O
 * and the server before calling it. Every failure is a 400 naming the field.
 */
public final class Validation {
    private Validation() {
    }

    /**
     * @param userId a user id
     * @throws InvalidRequestException when blank
     */
    public static void userId(String userId) {
        notBlank(userId, "user_id");
    }

    /**
     * @param id a memory id
     * @throws InvalidRequestException when blank
     */
    public static void memoryId(String id) {
        notBlank(id, "id");
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
            ScopePattern.validateScope(in.scope(), "scope");
        }
        tags(in.tags());
        confidence(in.confidence());
        ids(in.supersedes(), "supersedes");
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
            ScopePattern.validateScope(u.scope().value(), "scope");
        }
        if (u.tags().isSet()) {
            tags(u.tags().value());
        }
        if (u.confidence().isSet()) {
            confidence(u.confidence().value());
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
            ScopePattern.parse(q.scope());
        }
        if (q.tag() != null) {
            notBlank(q.tag(), "tag");
        }
        if (q.cursor() != null) {
            notBlank(q.cursor(), "cursor");
        }
    }

    /**
     * @param q          a search query
     * @param maxResults the provider's {@code limits.max_search_results}
     */
    public static void search(SearchQuery q, int maxResults) {
        notBlank(q.query(), "query");
        userId(q.userId());
        range(q.limit(), 1, Math.min(SearchQuery.MAX_LIMIT, maxResults), "limit");
        if (q.scope() != null) {
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
        userId(q.userId());
        range(q.tokenBudget(), 1, ContextQuery.MAX_TOKEN_BUDGET, "token_budget");
        if (q.scope() != null) {
            ScopePattern.parse(q.scope());
        }
    }

    /**
     * @param q an audit query
     */
    public static void audit(AuditQuery q) {
        userId(q.userId());
        range(q.limit(), 1, AuditQuery.MAX_LIMIT, "limit");
    }

    private static void content(String content, int max) {
        if (content == null) {
            throw new InvalidRequestException("content: is required");
        }
        if (content.isBlank()) {
            throw new InvalidRequestException("content: must not be blank");
        }
        if (content.indexOf('\u0000') >= 0) {
            throw new InvalidRequestException("content: must not contain NUL characters");
        }
        int chars = content.codePointCount(0, content.length());
        if (chars > max) {
            throw new InvalidRequestException("content: must be at most " + max + " characters, was " + chars);
        }
    }

    private static void tags(List<String> tags) {
        if (tags == null) {
            return;
        }
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || t.isBlank()) {
                throw new InvalidRequestException("tags[" + i + "]: must not be blank");
            }
        }
    }

    private static void ids(List<String> ids, String field) {
        if (ids == null) {
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            String t = ids.get(i);
            if (t == null || t.isBlank()) {
                throw new InvalidRequestException(field + "[" + i + "]: must not be blank");
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
