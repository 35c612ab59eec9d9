package blog.openmem.server;

import blog.openmem.core.Memory;
import blog.openmem.server.Principal.Access;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.ScopeDeniedException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The handlers of CONTRACT §10. Each one parses and validates, applies the caller's user list and
 * grants, and calls the same {@link Memory} an application would.
 */
final class Routes {
    static final String PRINCIPAL = "omp.principal";
    static final String REQUEST_ID = "omp.requestId";

    private final Memory memory;
    private final long maxBody;
    private final byte[] openapi;

    Routes(Memory memory, long maxBody, byte[] openapi) {
        this.memory = memory;
        this.maxBody = maxBody;
        this.openapi = openapi;
    }

    private static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? Principal.OPEN : p;
    }

    /**
     * The client for this request: its request id and app, and the caller's read grants as the
     * provider-side confinement of list, search, context and audit (so {@code limit} counts only
     * memories the caller may read).
     */
    private Memory memory(Context ctx) {
        Principal p = principal(ctx);
        List<ScopePattern> readable = p.unrestricted(Access.READ) ? null : p.patterns(Access.READ);
        return memory.withContext(new CallContext(ctx.attribute(REQUEST_ID), p.app(), null, null, readable));
    }

    /**
     * The one answer for a memory the caller may not see and for one that does not exist (D-2):
     * the same code, message and provider, so the two cannot be told apart.
     */
    private NotFoundException notFound(String id) {
        return new NotFoundException("memory '" + Http.shorten(id) + "' not found",
                blog.openmem.spi.error.ErrorDetails.provider(memory.providerId()));
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(OmpJson.writeBytes(body));
    }

    private static void checkUser(Principal p, String userId) {
        if (userId != null && !p.mayActFor(userId)) {
            throw new ScopeDeniedException("app \"" + p.app() + "\" may not act for user \"" + Http.shorten(userId) + "\"");
        }
    }

    /** An id from the path: percent-decoded by the router; never blank. */
    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.isBlank() || id.length() > blog.openmem.spi.model.Validation.MAX_ID_LENGTH) {
            throw new InvalidRequestException("id: must be 1 to 256 characters");
        }
        blog.openmem.spi.model.Validation.text(id, "id");
        return id;
    }

    private static String xUserId(Context ctx) {
        String u = ctx.header("X-User-Id");
        return u == null || u.isBlank() ? null : u;
    }

    // ------------------------------------------------------------------ meta

    void capabilities(Context ctx) {
        json(ctx, 200, memory.capabilities().forWire());
    }

    void healthz(Context ctx) {
        memory.checkHealth(Duration.ofSeconds(1));
        json(ctx, 200, Map.of("status", "ok"));
    }

    void openapi(Context ctx) {
        ctx.status(200).contentType("application/json").result(openapi);
    }

    // ------------------------------------------------------------------ memories

    void add(Context ctx) {
        MemoryInput in = OmpJson.read(Http.body(ctx, maxBody), MemoryInput.class);
        Principal p = principal(ctx);
        blog.openmem.spi.model.Validation.userId(in.userId());
        checkUser(p, in.userId());
        p.require(Access.WRITE, in.scope());
        String key = ctx.header("Idempotency-Key");
        if (key != null) {
            // Keys are per (user, app), and a provider that cannot deduplicate is refused with 400
            // (Memory#addIdempotent). A replay returns the memory only to a caller that may read it
            // now (D-14): grants change, and another app may have moved the memory since.
            Memory.AddResult r = memory(ctx).addIdempotent(in, key);
            if (!r.created()) {
                p.require(Access.READ, r.memory().scope());
            }
            json(ctx, r.created() ? 201 : 200, r.memory());
        } else {
            json(ctx, 201, memory(ctx).add(in));
        }
    }

    /**
     * Reads the memory an update or delete is about, for the ownership and grant checks: not
     * audited as a get (the operation audits itself), and hidden like a missing one when it belongs
     * to a user the caller may not act for.
     */
    private blog.openmem.spi.model.Memory owned(Context ctx, Memory m, String id, Verb purpose) {
        blog.openmem.spi.model.Memory found = m.lookupFor(purpose, id, xUserId(ctx)).orElseThrow(() -> notFound(id));
        if (!principal(ctx).mayActFor(found.userId())) {
            throw notFound(id);
        }
        return found;
    }

    void get(Context ctx) {
        String id = id(ctx);
        blog.openmem.spi.model.Memory found;
        try {
            found = memory(ctx).get(id, xUserId(ctx));
        } catch (NotFoundException e) {
            throw notFound(id);
        }
        if (!principal(ctx).mayActFor(found.userId())) {
            throw notFound(id);
        }
        principal(ctx).require(Access.READ, found.scope());
        json(ctx, 200, found);
    }

    /** D-14: write on the old and the new scope, and read on the old one, since the answer shows it. */
    void update(Context ctx) {
        String id = id(ctx);
        MemoryUpdate u = OmpJson.read(Http.body(ctx, maxBody), MemoryUpdate.class);
        Memory m = memory(ctx);
        blog.openmem.spi.model.Memory current = owned(ctx, m, id, Verb.UPDATE);
        Principal p = principal(ctx);
        p.require(Access.WRITE, current.scope());
        p.require(Access.READ, current.scope());
        if (u.scope().isSet() || u.scope().isClear()) {
            p.require(Access.WRITE, u.scope().applyTo(current.scope()));
        }
        try {
            json(ctx, 200, m.update(id, current.userId(), u));
        } catch (NotFoundException e) {
            throw notFound(id);
        }
    }

    void delete(Context ctx) {
        String id = id(ctx);
        Memory m = memory(ctx);
        blog.openmem.spi.model.Memory current = owned(ctx, m, id, Verb.DELETE);
        principal(ctx).require(Access.DELETE, current.scope());
        try {
            m.delete(id, current.userId());
        } catch (NotFoundException e) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    void list(Context ctx) {
        Principal p = principal(ctx);
        String user = Http.required(ctx, "user_id");
        checkUser(p, user);
        String scope = confine(p, Http.optional(ctx, "scope"));
        ListQuery q = new ListQuery(user, scope, Http.optional(ctx, "tag"), Http.instant(ctx, "since"),
                Http.instant(ctx, "until"), Http.integer(ctx, "limit", ListQuery.DEFAULT_LIMIT),
                Http.optional(ctx, "cursor"));
        json(ctx, 200, memory(ctx).list(q));
    }

    void searchGet(Context ctx) {
        search(ctx, new SearchQuery(Http.required(ctx, "q"), Http.required(ctx, "user_id"), Http.optional(ctx, "scope"),
                Http.integer(ctx, "limit", SearchQuery.DEFAULT_LIMIT), Http.decimal(ctx, "min_score"),
                Http.instant(ctx, "as_of"), Http.bool(ctx, "include_superseded")));
    }

    void searchPost(Context ctx) {
        JsonNode b = object(ctx);
        search(ctx, new SearchQuery(text(b, "query", true), text(b, "user_id", true), text(b, "scope", false),
                integer(b, "limit", SearchQuery.DEFAULT_LIMIT), decimal(b, "min_score"), instant(b, "as_of"),
                bool(b, "include_superseded")));
    }

    private void search(Context ctx, SearchQuery q) {
        Principal p = principal(ctx);
        checkUser(p, q.userId());
        String scope = confine(p, q.scope());
        SearchQuery query = new SearchQuery(q.query(), q.userId(), scope, q.limit(), q.minScore(), q.asOf(),
                q.includeSuperseded());
        List<SearchResult> results = memory(ctx).search(query);
        json(ctx, 200, Map.of("results", results));
    }

    void context(Context ctx) {
        JsonNode b = object(ctx);
        ContextQuery q = new ContextQuery(text(b, "query", true), text(b, "user_id", true), text(b, "scope", false),
                integer(b, "token_budget", ContextQuery.DEFAULT_TOKEN_BUDGET), instant(b, "as_of"),
                bool(b, "include_superseded"));
        Principal p = principal(ctx);
        checkUser(p, q.userId());
        String scope = confine(p, q.scope());
        ContextQuery query = new ContextQuery(q.query(), q.userId(), scope, q.tokenBudget(), q.asOf(),
                q.includeSuperseded());
        json(ctx, 200, memory(ctx).context(query));
    }

    void audit(Context ctx) {
        Principal p = principal(ctx);
        String user = Http.required(ctx, "user_id");
        checkUser(p, user);
        if (!p.unrestricted(Access.READ) && p.patterns(Access.READ).isEmpty()) {
            throw new ScopeDeniedException("app \"" + p.app() + "\" lacks read:*");
        }
        List<AuditEntry> entries = memory(ctx).audit(new AuditQuery(user, Http.optional(ctx, "app"),
                Http.instant(ctx, "since"), Http.integer(ctx, "limit", AuditQuery.DEFAULT_LIMIT)));
        json(ctx, 200, Map.of("entries", entries));
    }

    /**
     * An explicit scope must lie within a read grant (else 403); a caller without any read grant is
     * refused. Otherwise the read grants confine the query on the provider's side ({@link #memory}).
     */
    private static String confine(Principal p, String scope) {
        if (scope != null) {
            p.requirePattern(Access.READ, ScopePattern.parse(scope));
            return scope;
        }
        if (!p.unrestricted(Access.READ) && p.patterns(Access.READ).isEmpty()) {
            throw new ScopeDeniedException("app \"" + p.app() + "\" lacks read:*");
        }
        return null;
    }

    // ------------------------------------------------------------------ JSON bodies

    private JsonNode object(Context ctx) {
        JsonNode b = OmpJson.read(Http.body(ctx, maxBody), JsonNode.class);
        if (!b.isObject()) {
            throw new InvalidRequestException("body: must be a JSON object");
        }
        return b;
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidRequestException(field + ": is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequestException(field + ": must be a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode b, String field, int def) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidRequestException(field + ": must be a whole number in range");
        }
        return v.intValue();
    }

    private static Double decimal(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRequestException(field + ": must be a number");
        }
        return v.doubleValue();
    }

    private static Instant instant(JsonNode b, String field) {
        return Http.timestamp(field, text(b, field, false));
    }

    private static boolean bool(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequestException(field + ": must be true or false");
        }
        return v.booleanValue();
    }
}
