package blog.openmem.sim;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A vendor's OpenAPI file as a checker: every request a simulator receives and every answer it
 * gives is validated (swagger-request-validator), and each violation is recorded with the call it
 * came from. {@link #assertClean()} fails a test that produced any.
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON_ARRAY = new ObjectMapper();
    private final OpenApiInteractionValidator validator;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    private OpenApiContract(OpenApiInteractionValidator validator) {
        this.validator = validator;
    }

    /**
     * @param resource a class-path resource: JSON, or YAML when it ends in {@code .yaml}
     * @param patch    a correction of known defects of the file (documented where it is made)
     * @return the contract
     */
    public static OpenApiContract load(String resource, UnaryOperator<ObjectNode> patch) {
        return load(resource, patch, java.util.Set.of());
    }

    /**
     * @param resource  a class-path resource: JSON, or YAML when it ends in {@code .yaml}
     * @param patch     a correction of known defects of the file (documented where it is made)
     * @param notErrors validation keys reported as warnings only, for documented gaps of the file
     *                  (say which, and why, where this is called)
     * @return the contract
     */
    public static OpenApiContract load(String resource, UnaryOperator<ObjectNode> patch, java.util.Set<String> notErrors) {
        ObjectMapper mapper = resource.endsWith(".yaml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try (InputStream in = OpenApiContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + resource);
            }
            ObjectNode spec = patch.apply((ObjectNode) mapper.readTree(in));
            com.atlassian.oai.validator.report.LevelResolver.Builder levels =
                    com.atlassian.oai.validator.report.LevelResolver.create();
            notErrors.forEach(k -> levels.withLevel(k, ValidationReport.Level.WARN));
            return new OpenApiContract(OpenApiInteractionValidator
                    .createForInlineApiSpecification(new ObjectMapper().writeValueAsString(spec))
                    .withLevelResolver(levels.build()).build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /**
     * Validates one exchange.
     *
     * @param req    the request received
     * @param status the status answered (null: validate the request only, e.g. for an injected fault)
     * @param body   the JSON answered, or null
     */
    void check(SimRequest req, Integer status, String body) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(req.method(), req.path());
        req.query().forEach((k, v) -> b.withQueryParam(k, v));
        req.headers().forEach((k, v) -> b.withHeader(k, v));
        if (req.rawBody() != null && !req.rawBody().isEmpty()) {
            b.withBody(req.rawBody(), StandardCharsets.UTF_8);
        }
        Request request = b.build();
        ValidationReport report;
        if (status == null) {
            report = validator.validateRequest(request);
        } else {
            SimpleResponse.Builder r = SimpleResponse.Builder.status(status);
            if (body != null) {
                r.withContentType("application/json").withBody(body);
            }
            report = validator.validate(request, r.build());
        }
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                violations.add(req.method() + " " + req.path() + (status == null ? "" : " -> " + status) + ": "
                        + m.getKey() + ": " + m.getMessage());
            }
        }
    }

    /** @return the violations so far */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** @throws AssertionError listing the violations, if there are any */
    public void assertClean() {
        if (!violations.isEmpty()) {
            throw new AssertionError(violations.size() + " OpenAPI violation(s):\n" + String.join("\n", violations));
        }
    }

    /**
     * Gives an array schema without {@code items} (which OpenAPI 3.0 requires) {@code items: {}},
     * any value: what the file's authors evidently meant.
     *
     * @param node a spec or part of one
     */
    static void addMissingArrayItems(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if ("array".equals(o.path("type").asText()) && !o.has("items")) {
                o.putObject("items");
            }
            o.forEach(OpenApiContract::addMissingArrayItems);
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiContract::addMissingArrayItems);
        }
    }

    /**
     * The same description in OpenAPI 3.0 terms, for a 3.1 file read by the validator (which reads
     * 3.0): {@code type: [x, "null"]} and {@code oneOf} or {@code anyOf} {@code [X, {type: "null"}]}
     * as {@code nullable}, {@code const} as a one-value {@code enum}, a numeric
     * {@code exclusiveMinimum}/{@code exclusiveMaximum} as the bound with the boolean flag;
     * {@code propertyNames} (JSON object names are strings anyway) and a schema's list of
     * {@code examples} dropped.
     *
     * @param spec the whole file
     * @return the same object, rewritten
     */
    static ObjectNode toOpenApi30(ObjectNode spec) {
        spec.put("openapi", "3.0.3");
        downgrade(spec, spec);
        downgradeConstAndPropertyNames(spec);
        return spec;
    }

    private static void downgradeConstAndPropertyNames(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode c = o.remove("const");
            if (c != null) {
                o.putArray("enum").add(c);
            }
            o.remove("propertyNames");
            // 3.1's examples is a list of values in a schema (3.0 has one example); a media type's
            // examples (a map) stays.
            if (o.path("examples").isArray()) {
                o.remove("examples");
            }
            // 3.1's numeric exclusive bounds are 3.0's bound with a boolean flag, unless an
            // inclusive bound beside it is stricter already.
            for (String bound : List.of("Minimum", "Maximum")) {
                JsonNode v = o.get("exclusive" + bound);
                String inclusive = bound.toLowerCase(java.util.Locale.ROOT);
                if (v != null && v.isNumber()) {
                    JsonNode other = o.get(inclusive);
                    int sign = bound.equals("Minimum") ? 1 : -1;
                    if (other != null && other.isNumber() && sign * Double.compare(other.asDouble(), v.asDouble()) > 0) {
                        o.remove("exclusive" + bound);
                    } else {
                        o.set(inclusive, v);
                        o.put("exclusive" + bound, true);
                    }
                }
            }
            o.forEach(OpenApiContract::downgradeConstAndPropertyNames);
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiContract::downgradeConstAndPropertyNames);
        }
    }

    private static void downgrade(JsonNode node, JsonNode root) {
        if (node instanceof ObjectNode o) {
            String alternatives = o.path("oneOf").isArray() ? "oneOf" : "anyOf";
            JsonNode oneOf = o.get(alternatives);
            if (oneOf != null && oneOf.isArray()) {
                // oneOf (anyOf): [X, {type: "null"}] is 3.0's X with nullable: true.
                com.fasterxml.jackson.databind.node.ArrayNode rest = JSON_ARRAY.createArrayNode();
                boolean hadNull = false;
                for (JsonNode alt : oneOf) {
                    if ("null".equals(alt.path("type").asText()) && alt.size() == 1) {
                        hadNull = true;
                    } else {
                        rest.add(alt);
                    }
                }
                if (hadNull) {
                    o.remove(alternatives);
                    JsonNode only = rest.size() == 1 ? rest.get(0) : null;
                    String ref = only == null ? "" : only.path("$ref").asText();
                    if (ref.startsWith("#/components/schemas/")) {
                        // 3.0 ignores nullable beside a $ref: the referenced schema, inlined.
                        o.setAll((ObjectNode) root.path("components").path("schemas")
                                .path(ref.substring("#/components/schemas/".length())).deepCopy());
                    } else if (only != null) {
                        o.setAll((ObjectNode) only.deepCopy());
                    } else {
                        o.set(alternatives, rest);
                    }
                    o.put("nullable", true);
                }
            }
            JsonNode type = o.get("type");
            if (type != null && type.isArray()) {
                List<String> types = new ArrayList<>();
                type.forEach(t -> types.add(t.asText()));
                boolean nullable = types.remove("null");
                o.put("type", types.get(0));
                if (nullable) {
                    o.put("nullable", true);
                }
            }
            o.forEach(child -> downgrade(child, root));
        } else if (node != null && node.isArray()) {
            node.forEach(child -> downgrade(child, root));
        }
    }
}
