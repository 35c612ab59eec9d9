package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Supermemory v5's {@code FilterExpression} over a document's metadata: predicates
 * {@code {field, operator, value, caseSensitive?}} ({@code eq, neq, gt, gte, lt, lte, contains,
 * notContains, arrayContains, arrayNotContains}) and {@code {operator: and|or, operands}}, at most
 * five levels deep.
 */
final class SupermemoryFilters {
    /** A filter the API refuses (400). */
    static final class BadFilter extends RuntimeException {
        BadFilter(String message) {
            super(message);
        }
    }

    private SupermemoryFilters() {
    }

    static boolean matches(JsonNode filter, JsonNode metadata) {
        return eval(filter, metadata, 1);
    }

    private static boolean eval(JsonNode f, JsonNode metadata, int depth) {
        if (depth > 5) {
            throw new BadFilter("filter nesting deeper than 5 levels");
        }
        String op = f.path("operator").asText("");
        if (op.equals("and") || op.equals("or")) {
            JsonNode operands = f.path("operands");
            if (!operands.isArray() || operands.isEmpty()) {
                throw new BadFilter("operands must be a non-empty array");
            }
            for (JsonNode o : operands) {
                boolean v = eval(o, metadata, depth + 1);
                if (op.equals("and") && !v) {
                    return false;
                }
                if (op.equals("or") && v) {
                    return true;
                }
            }
            return op.equals("and");
        }
        String field = f.path("field").asText(null);
        if (field == null || !f.has("value")) {
            throw new BadFilter("a predicate needs field, operator and value");
        }
        JsonNode actual = metadata == null ? null : metadata.get(field);
        JsonNode value = f.get("value");
        boolean cs = f.path("caseSensitive").asBoolean(true);
        return switch (op) {
            case "eq" -> equal(actual, value, cs);
            case "neq" -> !equal(actual, value, cs);
            case "gt", "gte", "lt", "lte" -> {
                if (actual == null || !actual.isNumber()) {
                    yield false;
                }
                int c = Double.compare(actual.asDouble(), value.asDouble());
                yield switch (op) {
                    case "gt" -> c > 0;
                    case "gte" -> c >= 0;
                    case "lt" -> c < 0;
                    default -> c <= 0;
                };
            }
            case "contains" -> actual != null && actual.isTextual() && text(actual, cs).contains(text(value, cs));
            case "notContains" -> actual == null || !actual.isTextual() || !text(actual, cs).contains(text(value, cs));
            case "arrayContains" -> arrayHas(actual, value.asText());
            case "arrayNotContains" -> !arrayHas(actual, value.asText());
            default -> throw new BadFilter("unknown operator '" + op + "'");
        };
    }

    private static boolean equal(JsonNode actual, JsonNode value, boolean cs) {
        if (actual == null) {
            return false;
        }
        if (value.isTextual()) {
            return actual.isTextual() && text(actual, cs).equals(text(value, cs));
        }
        if (value.isNumber()) {
            return actual.isNumber() && actual.asDouble() == value.asDouble();
        }
        return actual.equals(value);
    }

    private static String text(JsonNode n, boolean caseSensitive) {
        return caseSensitive ? n.asText() : n.asText().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean arrayHas(JsonNode actual, String v) {
        if (actual == null || !actual.isArray()) {
            return false;
        }
        for (JsonNode x : actual) {
            if (x.asText().equals(v)) {
                return true;
            }
        }
        return false;
    }
}
