package blog.openmem.passthrough;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.HttpResult;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.core.vendor.Rest;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Speaks CONTRACT §10 to a remote OMP server: GET search with {@code q} (POST for long queries),
 * the {@code {results}} and {@code {entries}} wrappers, 201/204, percent-encoded ids,
 * {@code X-Request-Id} propagation and {@code Idempotency-Key} on adds. The remote's capabilities
 * were probed at creation and are cached; {@link #refreshCapabilities()} asks again.
 */
public final class PassthroughProvider implements MemoryProvider, blog.openmem.spi.AsyncMemoryProvider {
    /** Longest encoded query string sent with GET search; longer queries go as a POST body. */
    static final int MAX_GET_QUERY = 2000;
    /**
     * Names the caller's app to an open server for its audit log (D-11); a server with API keys
     * takes the app from the key instead.
     */
    static final String APP_HEADER = "X-OMP-App";

    private final ResilientHttpClient http;
    private final boolean keyEveryAdd;
    private volatile Capabilities capabilities;

    /**
     * @param http         the client for the remote's base URL
     * @param capabilities the remote's capabilities as probed
     */
    PassthroughProvider(ResilientHttpClient http, Capabilities capabilities) {
        this.http = http;
        this.capabilities = capabilities;
        // With retries on, every add carries a key so a retried POST can never create twice.
        this.keyEveryAdd = http.settings().maxAttempts() > 1;
    }

    /**
     * Probes {@code GET /capabilities}: the answer must be JSON with {@code omp_version}.
     *
     * @param http the client
     * @return the remote's capabilities
     * @throws ConfigurationException naming the URL and what came back when it is not an OMP server
     */
    static Capabilities probe(ResilientHttpClient http) {
        String url = http.settings().baseUrl().toString();
        HttpResult r;
        try {
            r = http.send(HttpCall.of("GET", "/capabilities").build());
        } catch (OmpException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw e; // could not reach it at all: a transport problem, said as such
            }
            throw new ConfigurationException("passthrough: " + url + " does not answer as an OMP server: "
                    + e.getMessage(), ErrorDetails.provider("passthrough"));
        }
        JsonNode body = null;
        try {
            body = OmpJson.reader().readTree(r.body());
        } catch (java.io.IOException | RuntimeException notJson) {
            // said below with what came back
        }
        if (body == null || !body.isObject() || !body.path("omp_version").isTextual()) {
            String seen = new String(r.body(), 0, Math.min(r.body().length, 800), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("\\p{Cntrl}+", " ").strip();
            throw new ConfigurationException("passthrough: " + url + " does not answer as an OMP server: GET "
                    + "/capabilities returned " + r.status() + " " + r.header("Content-Type").orElse("(no content type)")
                    + " without \"omp_version\": " + (seen.length() > 200 ? seen.substring(0, 200) + "…" : seen),
                    ErrorDetails.provider("passthrough"));
        }
        // The remote's SPI-only flags (list users, export, created_at on import) have no route here.
        return r.json(Capabilities.class).forWire();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public Capabilities refreshCapabilities() {
        Capabilities c = probe(http);
        capabilities = c;
        return c;
    }

    @Override
    public Memory add(MemoryInput input, CallContext ctx) {
        return post(input, ctx, keyEveryAdd ? UUID.randomUUID().toString() : null).json(Memory.class);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Memory> addAsync(MemoryInput input, CallContext ctx) {
        return Rest.mapped(http.sendAsync(addCall(input, ctx, keyEveryAdd ? UUID.randomUUID().toString() : null)),
                r -> r.json(Memory.class));
    }

    @Override
    public java.util.concurrent.CompletableFuture<List<SearchResult>> searchAsync(SearchQuery q, CallContext ctx) {
        return Rest.mapped(http.sendAsync(searchCall(q, ctx)), r -> r.json(SearchResults.class).results());
    }

    @Override
    public AddOutcome addIdempotent(MemoryInput input, CallContext ctx) {
        HttpResult r = post(input, ctx, ctx.idempotencyKey());
        return new AddOutcome(r.json(Memory.class), r.status() == 201);
    }

    private HttpResult post(MemoryInput input, CallContext ctx, String key) {
        return http.send(addCall(input, ctx, key));
    }

    private static HttpCall addCall(MemoryInput input, CallContext ctx, String key) {
        // An OMP server deduplicates by the key (CONTRACT §10): with one, a retry cannot create twice.
        return HttpCall.of("POST", "/memories").body(OmpJson.writeBytes(input)).idempotent(key != null)
                .header("Idempotency-Key", key).requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build();
    }

    @Override
    public Optional<Memory> get(String id, String userId, CallContext ctx) {
        return Rest.absentOn404(() -> http.send(byId("GET", id, userId, ctx).build()).json(Memory.class));
    }

    @Override
    public Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx) {
        return Rest.absentOn404(() -> http.send(byId("PATCH", id, userId, ctx).body(OmpJson.writeBytes(update)).build())
                .json(Memory.class));
    }

    @Override
    public boolean delete(String id, String userId, CallContext ctx) {
        return Rest.absentOn404(() -> http.send(byId("DELETE", id, userId, ctx).build())).isPresent();
    }

    private static HttpCall.Builder byId(String method, String id, String userId, CallContext ctx) {
        return HttpCall.of(method, "/memories/" + HttpCall.segment(id)).header("X-User-Id", userId)
                .requestId(ctx.requestId()).header(APP_HEADER, ctx.app());
    }

    @Override
    public MemoryPage list(ListQuery q, CallContext ctx) {
        return http.send(HttpCall.of("GET", "/memories").param("user_id", q.userId()).param("scope", q.scope())
                .param("tag", q.tag()).param("since", ts(q.since())).param("until", ts(q.until()))
                .param("limit", q.limit()).param("cursor", q.cursor()).requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build())
                .json(MemoryPage.class);
    }

    @Override
    public List<SearchResult> search(SearchQuery q, CallContext ctx) {
        return http.send(searchCall(q, ctx)).json(SearchResults.class).results();
    }

    /** GET with {@code q}, or a POST body when the query string would be too long for a URL. */
    private static HttpCall searchCall(SearchQuery q, CallContext ctx) {
        HttpCall get = HttpCall.of("GET", "/memories/search").param("q", q.query()).param("user_id", q.userId())
                .param("scope", q.scope()).param("limit", q.limit()).param("min_score", q.minScore())
                .param("as_of", ts(q.asOf())).param("include_superseded", q.includeSuperseded() ? "true" : null)
                .requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build();
        if (get.encodedQuery().length() <= MAX_GET_QUERY) {
            return get;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", q.query());
        body.put("user_id", q.userId());
        putIf(body, "scope", q.scope());
        body.put("limit", q.limit());
        putIf(body, "min_score", q.minScore());
        putIf(body, "as_of", ts(q.asOf()));
        putIf(body, "include_superseded", q.includeSuperseded() ? Boolean.TRUE : null);
        return HttpCall.of("POST", "/memories/search").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build();
    }

    @Override
    public Optional<ContextBlock> context(ContextQuery q, CallContext ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", q.query());
        body.put("user_id", q.userId());
        putIf(body, "scope", q.scope());
        body.put("token_budget", q.tokenBudget());
        putIf(body, "as_of", ts(q.asOf()));
        putIf(body, "include_superseded", q.includeSuperseded() ? Boolean.TRUE : null);
        return Optional.of(http.send(HttpCall.of("POST", "/context").body(OmpJson.writeBytes(body)).idempotent(true)
                .requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build()).json(ContextBlock.class));
    }

    @Override
    public List<AuditEntry> audit(AuditQuery q, CallContext ctx) {
        return http.send(HttpCall.of("GET", "/audit").param("user_id", q.userId()).param("app", q.app())
                .param("since", ts(q.since())).param("limit", q.limit()).requestId(ctx.requestId()).header(APP_HEADER, ctx.app()).build())
                .json(AuditEntries.class).entries();
    }

    @Override
    public void checkHealth() {
        http.send(HttpCall.of("GET", "/healthz").build());
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "PassthroughProvider[" + http.settings().baseUrl() + "]";
    }

    private static String ts(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void putIf(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    /** {@code {"results":[...]}}. */
    record SearchResults(List<SearchResult> results) {
        SearchResults {
            java.util.Objects.requireNonNull(results, "results");
        }
    }

    /** {@code {"entries":[...]}}. */
    record AuditEntries(List<AuditEntry> entries) {
        AuditEntries {
            java.util.Objects.requireNonNull(entries, "entries");
        }
    }
}
