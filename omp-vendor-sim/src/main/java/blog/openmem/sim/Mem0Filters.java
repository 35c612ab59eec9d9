package blog.openmem.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Mem0's filter grammar over a stored memory, as documented for the platform
 * ({@code v2-memory-filters.mdx}): a condition, a flat object (implicit AND) or {@code AND} /
 * {@code OR} / {@code NOT} arrays; entity ids with {@code eq ne in *}; times with
 * {@code gt gte lt lte ne in} (explicit {@code eq} rejected); metadata with {@code eq ne contains}
 * only. Anything else is a 400 ({@link BadFilter}).
 */
final class Mem0Filters {
    private static final Set<String> ENTITIES = Set.of("user_id", "agent_id", "app_id", "run_id");
    private static final Set<String> TIMES = Set.of("created_at", "updated_at");

    /** A filter Mem0 would refuse with 400. */
    static final class BadFilter extends RuntimeException {
        BadFilter(String message) {
            super(message);
        }
    }

    /** What a filter is evaluated against. */
    interface Target {
        String entity(String key);

        Instant time(String key);

        JsonNode metadata();
    }

    private Mem0Filters() {
    }

    /** @return whether the filter names an entity id somewhere (required by list and search) */
    static boolean namesEntity(JsonNode filter) {
        if (filter == null || !filter.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (ENTITIES.contains(e.getKey())) {
                return true;
            }
            if (Set.of("AND", "OR").contains(e.getKey()) && e.getValue().isArray()) {
                for (JsonNode c : e.getValue()) {
                    if (namesEntity(c)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * @return the user every match must have (a top-level or AND-ed {@code user_id} equality), or null
     */
    static String requiredUser(JsonNode filter) {
        if (filter == null || !filter.isObject()) {
            return null;
        }
        JsonNode u = filter.get("user_id");
        if (u != null && u.isTextual() && !u.asText().equals("*")) {
            return u.asText();
        }
        JsonNode and = filter.get("AND");
        if (and != null && and.isArray()) {
            for (JsonNode c : and) {
                String found = requiredUser(c);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static boolean matches(JsonNode filter, Target t) {
        if (!filter.isObject()) {
            throw new BadFilter("filters must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!one(e.getKey(), e.getValue(), t)) {
                return false;
            }
        }
        return true;
    }

    private static boolean one(String key, JsonNode v, Target t) {
        switch (key) {
            case "AND" -> {
                for (JsonNode c : array(v, key)) {
                    if (!matches(c, t)) {
                        return false;
                    }
                }
                return true;
            }
            case "OR" -> {
                for (JsonNode c : array(v, key)) {
                    if (matches(c, t)) {
                        return true;
                    }
                }
                return false;
            }
            case "NOT" -> {
                for (JsonNode c : array(v, key)) {
                    if (matches(c, t)) {
                        return false;
                    }
                }
                return true;
            }
            case "metadata" -> {
                if (!v.isObject()) {
                    throw new BadFilter("metadata filter must be an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!metadata(t.metadata() == null ? null : t.metadata().get(e.getKey()), e.getValue())) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                if (ENTITIES.contains(key)) {
                    return entity(t.entity(key), v);
                }
                if (TIMES.contains(key)) {
                    return time(t.time(key), v);
                }
                throw new BadFilter("unsupported filter key '" + key + "'");
            }
        }
    }

    private static JsonNode array(JsonNode v, String key) {
        if (!v.isArray()) {
            throw new BadFilter(key + " must be an array");
        }
        return v;
    }

    private static boolean entity(String value, JsonNode cond) {
        if (cond.isTextual()) {
            return cond.asText().equals("*") ? value != null : cond.asText().equals(value);
        }
        if (!cond.isObject() || cond.size() != 1) {
            throw new BadFilter("bad entity condition");
        }
        Map.Entry<String, JsonNode> op = cond.fields().next();
        return switch (op.getKey()) {
            case "eq" -> op.getValue().asText().equals(value);
            case "ne" -> !op.getValue().asText().equals(value);
            case "in" -> {
                for (JsonNode x : op.getValue()) {
                    if (x.asText().equals(value)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> throw new BadFilter("operator '" + op.getKey() + "' is not allowed on entity ids");
        };
    }

    private static boolean time(Instant value, JsonNode cond) {
        if (!cond.isObject() || cond.size() == 0) {
            throw new BadFilter("time filters take operators");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = cond.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            Instant x;
            try {
                x = Instant.parse(op.getValue().asText());
            } catch (RuntimeException e) {
                throw new BadFilter("bad time " + op.getValue());
            }
            boolean ok = switch (op.getKey()) {
                case "gt" -> value.isAfter(x);
                case "gte" -> !value.isBefore(x);
                case "lt" -> value.isBefore(x);
                case "lte" -> !value.isAfter(x);
                case "ne" -> !value.equals(x);
                default -> throw new BadFilter("operator '" + op.getKey() + "' is not allowed on times");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean metadata(JsonNode value, JsonNode cond) {
        if (!cond.isObject()) {
            return cond.equals(value);
        }
        if (cond.size() != 1) {
            throw new BadFilter("one operator per metadata condition");
        }
        Map.Entry<String, JsonNode> op = cond.fields().next();
        return switch (op.getKey()) {
            case "eq" -> op.getValue().equals(value);
            case "ne" -> !op.getValue().equals(value);
            case "contains" -> {
                if (value == null) {
                    yield false;
                }
                if (value.isArray()) {
                    for (JsonNode x : value) {
                        if (x.equals(op.getValue())) {
                            yield true;
                        }
                    }
                    yield false;
                }
                yield value.isTextual() && value.asText().contains(op.getValue().asText());
            }
            default -> throw new BadFilter("operator '" + op.getKey() + "' is not allowed on metadata");
        };
    }
}
