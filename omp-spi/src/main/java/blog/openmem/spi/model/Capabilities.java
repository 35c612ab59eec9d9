package blog.openmem.spi.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a provider can do (CONTRACT §7). {@code verbs} is kept as wire strings so a newer
 * server's verbs survive a round trip; {@link #supports(Verb)} is the typed view.
 *
 * @param ompVersion the protocol version, {@code "0.1"}
 * @param provider   the provider id
 * @param verbs      the verbs that really work
 * @param features   feature flags
 * @param limits     limits, may be null
 * @param extra      unknown fields, kept for round trips
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"omp_version", "provider", "verbs", "features", "limits"})
public record Capabilities(
        String ompVersion,
        String provider,
        List<String> verbs,
        Features features,
        Limits limits,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** The protocol version this library implements. */
    public static final String OMP_VERSION = "0.1";

    /** Copies collections; absent features become all-false, absent limits become defaults. */
    public Capabilities {
        verbs = verbs == null ? List.of() : List.copyOf(verbs);
        features = features == null
                ? new Features(false, false, false, false, ScopeSupport.NONE, null, false, false, false, null)
                : features;
        limits = limits == null ? new Limits(null, null, null) : limits;
        extra = Extensions.copy(extra);
    }

    /**
     * @param provider the provider id
     * @param verbs    the supported verbs
     * @param features the feature flags
     * @param limits   the limits
     * @return capabilities for OMP {@value #OMP_VERSION}
     */
    public static Capabilities of(String provider, Set<Verb> verbs, Features features, Limits limits) {
        return new Capabilities(OMP_VERSION, provider,
                EnumSet.copyOf(verbs).stream().map(Verb::wireName).toList(), features, limits, null);
    }

    /**
     * @return these capabilities as an OMP server advertises them: without the flags of operations only
     *     the Java SPI has ({@link Features#SDK_ONLY})
     */
    public Capabilities forWire() {
        return new Capabilities(ompVersion, provider, verbs, features.forWire(), limits, extra);
    }

    /**
     * @param verb a verb
     * @return true when the provider advertises it
     */
    public boolean supports(Verb verb) {
        return verbs.contains(verb.wireName());
    }

    /** @return the known verbs advertised, typed */
    @JsonIgnore
    public Set<Verb> verbSet() {
        EnumSet<Verb> out = EnumSet.noneOf(Verb.class);
        for (Verb v : Verb.values()) {
            if (supports(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * @param provider the provider id
     * @return a builder: named flags instead of positional booleans
     */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** Builder for {@link Capabilities}; every flag is false until set. */
    public static final class Builder {
        private final String provider;
        private final java.util.EnumSet<Verb> verbs = java.util.EnumSet.noneOf(Verb.class);
        private boolean vectorSearch;
        private boolean keywordSearch;
        private boolean temporal;
        private ScopeSupport scopes = ScopeSupport.NONE;
        private Integer maxContentLength;
        private boolean supportsAudit;
        private boolean supportsSupersession;
        private final java.util.Map<String, Object> extra = new java.util.LinkedHashMap<>();
        private Integer maxSearchResults;
        private Integer rateLimitPerMinute;

        private Builder(String provider) {
            this.provider = provider;
        }

        /** @param v verbs that work @return this */
        public Builder verbs(Verb... v) { verbs.addAll(java.util.List.of(v)); return this; }
        /** @param v semantic search @return this */
        public Builder vectorSearch(boolean v) { this.vectorSearch = v; return this; }
        /** @param v keyword search @return this */
        public Builder keywordSearch(boolean v) { this.keywordSearch = v; return this; }
        /** @param v validity and as_of @return this */
        public Builder temporal(boolean v) { this.temporal = v; return this; }
        /** @param v how scopes are supported @return this */
        public Builder scopes(ScopeSupport v) { this.scopes = v; return this; }
        /** @param v the content limit in characters @return this */
        public Builder maxContentLength(int v) { this.maxContentLength = v; return this; }
        /** @param v audit log @return this */
        public Builder supportsAudit(boolean v) { this.supportsAudit = v; return this; }
        /** @param v supersession filtering @return this */
        public Builder supportsSupersession(boolean v) { this.supportsSupersession = v; return this; }
        /** @param name an extra feature @param value its value @return this */
        public Builder feature(String name, Object value) { extra.put(name, value); return this; }
        /** @param v the most search results @return this */
        public Builder maxSearchResults(int v) { this.maxSearchResults = v; return this; }
        /** @param v a documented rate limit @return this */
        public Builder rateLimitPerMinute(int v) { this.rateLimitPerMinute = v; return this; }

        /** @return the capabilities */
        public Capabilities build() {
            return of(provider, verbs.isEmpty() ? java.util.EnumSet.noneOf(Verb.class) : verbs,
                    new Features(vectorSearch, keywordSearch, false, temporal, scopes, maxContentLength, false,
                            supportsAudit, supportsSupersession, extra),
                    new Limits(rateLimitPerMinute, maxSearchResults, null));
        }
    }
}
