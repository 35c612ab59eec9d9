package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feature flags (CONTRACT §7). Omitted flags mean false; {@code extra} holds flags beyond the
 * published ones (e.g. {@code vector_index}, {@code async_ingestion}).
 *
 * @param vectorSearch         ranks by embeddings
 * @param keywordSearch        ranks by keywords
 * @param graphQueries         graph queries
 * @param temporal             validity windows and {@code as_of}
 * @param scopes               how scopes work, null meaning {@link ScopeSupport#NONE}
 * @param maxContentLength     the content limit, null meaning 10 000
 * @param supportsE2e          end-to-end encryption
 * @param supportsAudit        the audit log
 * @param supportsSupersession supersession filtering
 * @param extra                other flags, kept for round trips
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"vector_search", "keyword_search", "graph_queries", "temporal", "scopes", "max_content_length",
    "supports_e2e", "supports_audit", "supports_supersession"})
public record Features(
        boolean vectorSearch,
        boolean keywordSearch,
        boolean graphQueries,
        boolean temporal,
        ScopeSupport scopes,
        Integer maxContentLength,
        boolean supportsE2e,
        boolean supportsAudit,
        boolean supportsSupersession,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /**
     * Extra flag: the provider lists the users it holds memories of
     * ({@link blog.openmem.spi.MemoryProvider#listUsers}), so a migration can take every user.
     */
    public static final String LIST_USERS = "list_users";
    /**
     * Extra flag: the provider reads every memory of a user page by page
     * ({@link blog.openmem.spi.MemoryProvider#exportPage}) although it does not offer {@code list}.
     */
    public static final String EXPORT = "export";
    /**
     * Extra flag: memories imported with {@link blog.openmem.spi.MemoryProvider#importAll} keep the
     * creation time they had where they came from.
     */
    public static final String KEEPS_CREATED_AT = "keeps_created_at";
    /**
     * The flags of operations only the Java SPI has (no OMP HTTP route carries them): a server does not
     * advertise them and a client of a server does not believe them.
     */
    public static final java.util.Set<String> SDK_ONLY = java.util.Set.of(LIST_USERS, EXPORT, KEEPS_CREATED_AT);

    /** The default content limit of CONTRACT §2. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 10_000;

    /** Copies the map. */
    public Features {
        extra = Extensions.copy(extra);
    }

    /**
     * @param name an extra flag, e.g. {@link #LIST_USERS}
     * @return true when the flag is present and {@code true}
     */
    public boolean has(String name) {
        return Boolean.TRUE.equals(extra.get(name));
    }

    /** @return these features without the {@link #SDK_ONLY} flags */
    public Features forWire() {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.keySet().removeAll(SDK_ONLY);
        return new Features(vectorSearch, keywordSearch, graphQueries, temporal, scopes, maxContentLength,
                supportsE2e, supportsAudit, supportsSupersession, m);
    }

    /** @return the effective scope support */
    public ScopeSupport effectiveScopes() {
        return scopes == null ? ScopeSupport.NONE : scopes;
    }

    /** @return the effective content limit */
    public int effectiveMaxContentLength() {
        return maxContentLength == null ? DEFAULT_MAX_CONTENT_LENGTH : maxContentLength;
    }

    /**
     * @param name   an extra flag name
     * @param value  its value
     * @return a copy with that extra flag set
     */
    public Features withExtra(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put(name, value);
        return new Features(vectorSearch, keywordSearch, graphQueries, temporal, scopes, maxContentLength,
                supportsE2e, supportsAudit, supportsSupersession, m);
    }
}
