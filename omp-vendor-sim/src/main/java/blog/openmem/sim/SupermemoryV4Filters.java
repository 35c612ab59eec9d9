package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Supermemory's legacy (v3/v4) {@code QueryFilter} over a document's metadata: a root
 * {@code {"AND": [...]}} or {@code {"OR": [...]}}; leaves {@code {key, value (a string), filterType:
 * metadata (equality, the default) | numeric | array_contains | string_contains, numericOperator,
 * negate, ignoreCase}}; at most five levels deep. A {@code metadata} leaf compares the value with
 * the string form of a string, number or boolean.
 */
final class SupermemoryV4Filters {
    private SupermemoryV4Filters() {
    }

    static boolean matches(JsonNode filter, JsonNode metadata) {
        if (!filter.has("AND") && !filter.has("OR")) {
            throw new SupermemoryFilters.BadFilter("filters must be {\"AND\": [...]} or {\"OR\": [...]}");
        }
        return eval(filter, metadata, 1);
    }

    private static boolean eval(JsonNode f, JsonNode metadata, int depth) {
        if (depth > 5) {
            throw new SupermemoryFilters.BadFilter("filter nesting deeper than 5 levels");
        }
        boolean and = f.has("AND");
        if (and || f.has("OR")) {
            JsonNode operands = f.get(and ? "AND" : "OR");
            if (!operands.isArray()) {
                throw new SupermemoryFilters.BadFilter("AND and OR take an array");
            }
            for (JsonNode o : operands) {
                boolean v = eval(o, metadata, depth + 1);
                if (and != v) {
                    return v;
                }
            }
            return and;
        }
        if (!f.path("key").isTextual() || !f.path("value").isTextual()) {
            throw new SupermemoryFilters.BadFilter("a condition needs a key and a string value");
        }
        JsonNode actual = metadata == null ? null : metadata.get(f.get("key").asText());
        boolean ignoreCase = f.path("ignoreCase").asText("false").equals("true");
        String value = fold(f.get("value").asText(), ignoreCase);
        boolean hit = switch (f.path("filterType").asText("metadata")) {
            case "metadata" -> actual != null && actual.isValueNode() && !actual.isNull()
                    && fold(actual.asText(), ignoreCase).equals(value);
            case "string_contains" -> actual != null && actual.isTextual()
                    && fold(actual.asText(), ignoreCase).contains(value);
            case "array_contains" -> {
                boolean in = false;
                if (actual != null && actual.isArray()) {
                    for (JsonNode x : actual) {
                        in |= fold(x.asText(), ignoreCase).equals(value);
                    }
                }
                yield in;
            }
            case "numeric" -> actual != null && actual.isNumber() && compare(actual.asDouble(), value,
                    f.path("numericOperator").asText("="));
            default -> throw new SupermemoryFilters.BadFilter("unknown filterType");
        };
        return hit != f.path("negate").asText("false").equals("true");
    }

    private static boolean compare(double actual, String value, String op) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new SupermemoryFilters.BadFilter("a numeric filter needs a number");
        }
        int c = Double.compare(actual, v);
        return switch (op) {
            case ">" -> c > 0;
            case "<" -> c < 0;
            case ">=" -> c >= 0;
            case "<=" -> c <= 0;
            default -> c == 0;
        };
    }

    private static String fold(String s, boolean ignoreCase) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }
}
