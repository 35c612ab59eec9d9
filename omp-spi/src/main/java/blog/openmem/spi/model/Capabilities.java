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
}
