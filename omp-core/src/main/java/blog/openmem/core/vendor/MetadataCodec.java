package blog.openmem.core.vendor;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import blog.openmem.spi.json.Timestamps;
import blog.openmem.spi.model.MemorySource;
import blog.openmem.spi.model.SourceType;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one encoding of OMP fields in a vendor's metadata: flat, versioned ({@code omp_v}), with
 * values that every vendor's metadata accepts — strings, numbers, booleans and lists of strings —
 * and decoded back exactly. Keys start with {@code omp_}; other keys in a vendor's metadata are
 * left alone and returned by {@link #foreign}.
 *
 * <table>
 * <caption>Keys (version 1)</caption>
 * <tr><th>key</th><th>value</th></tr>
 * <tr><td>{@code omp_v}</td><td>1</td></tr>
 * <tr><td>{@code omp_id}</td><td>the OMP id, when the adapter assigns its own</td></tr>
 * <tr><td>{@code omp_user}</td><td>the owner, checked on every read</td></tr>
 * <tr><td>{@code omp_scope}</td><td>the scope</td></tr>
 * <tr><td>{@code omp_scope_prefixes}</td><td>the scope's segment prefixes ({@code a}, {@code a/b}),
 *     so a vendor's "list contains" filter can select a scope pattern's subtree</td></tr>
 * <tr><td>{@code omp_tags}</td><td>the tags</td></tr>
 * <tr><td>{@code omp_source_app}, {@code omp_source_type}, {@code omp_source_ref}</td><td>the source</td></tr>
 * <tr><td>{@code omp_confidence}</td><td>a number</td></tr>
 * <tr><td>{@code omp_valid_from}, {@code omp_valid_to}, {@code omp_created_at}</td><td>RFC 3339 strings</td></tr>
 * <tr><td>{@code omp_supersedes}</td><td>the ids replaced; {@code omp_has_supersedes} true when any,
 *     so a vendor filter can find the memories that supersede others</td></tr>
 * <tr><td>{@code omp_x}</td><td>the {@code x-} fields as one JSON text (their values may be any JSON)</td></tr>
 * </table>
 */
public final class MetadataCodec {
    /** The version this class writes. */
    public static final int VERSION = 1;
    /** Key of the version. */
    public static final String V = "omp_v";
    /** Key of the OMP id. */
    public static final String ID = "omp_id";
    /** Key of the owner. */
    public static final String USER = "omp_user";
    /** Key of the scope. */
    public static final String SCOPE = "omp_scope";
    /** Key of the scope's segment prefixes. */
    public static final String SCOPE_PREFIXES = "omp_scope_prefixes";
    /** Key of the tags. */
    public static final String TAGS = "omp_tags";
    /** Key of the flag set when {@code omp_supersedes} is not empty. */
    public static final String HAS_SUPERSEDES = "omp_has_supersedes";
    /** Key of the superseded ids (a string list). */
    public static final String SUPERSEDES = "omp_supersedes";
    private static final String SOURCE_APP = "omp_source_app";
    private static final String SOURCE_TYPE = "omp_source_type";
    private static final String SOURCE_REF = "omp_source_ref";
    private static final String CONFIDENCE = "omp_confidence";
    private static final String VALID_FROM = "omp_valid_from";
    private static final String VALID_TO = "omp_valid_to";
    private static final String CREATED_AT = "omp_created_at";
    private static final String X = "omp_x";

    private MetadataCodec() {
    }

    /**
     * @param f the fields
     * @return the flat metadata (insertion ordered; absent fields have no key)
     */
    public static Map<String, Object> encode(OmpFields f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(V, VERSION);
        put(m, ID, f.id());
        put(m, USER, f.userId());
        if (f.scope() != null) {
            m.put(SCOPE, f.scope());
            m.put(SCOPE_PREFIXES, scopePrefixes(f.scope()));
        }
        put(m, TAGS, f.tags());
        if (f.source() != null) {
            put(m, SOURCE_APP, f.source().app());
            put(m, SOURCE_TYPE, f.source().type() == null ? null : f.source().type().wireName());
            put(m, SOURCE_REF, f.source().ref());
        }
        put(m, CONFIDENCE, f.confidence());
        put(m, VALID_FROM, f.validFrom() == null ? null : Timestamps.format(f.validFrom()));
        put(m, VALID_TO, f.validTo() == null ? null : Timestamps.format(f.validTo()));
        put(m, CREATED_AT, f.createdAt() == null ? null : Timestamps.format(f.createdAt()));
        if (f.supersedes() != null) {
            m.put(SUPERSEDES, f.supersedes());
            m.put(HAS_SUPERSEDES, true);
        }
        if (!f.extensions().isEmpty()) {
            m.put(X, OmpJson.write(f.extensions()));
        }
        return m;
    }

    /**
     * @param metadata a vendor's metadata (null = none)
     * @return whether it carries OMP fields
     */
    public static boolean isOmp(Map<String, ?> metadata) {
        return metadata != null && metadata.get(V) instanceof Number;
    }

    /**
     * @param metadata a vendor's metadata as written by {@link #encode} (other keys are ignored)
     * @return the fields
     * @throws ProviderException when it carries a newer version or a value of the wrong type
     */
    public static OmpFields decode(Map<String, ?> metadata) {
        if (!isOmp(metadata)) {
            return new OmpFields(null, null, null, null, null, null, null, null, null, null, null);
        }
        int version = ((Number) metadata.get(V)).intValue();
        if (version > VERSION) {
            throw corrupt("written by a newer version (" + version + ") of the metadata codec");
        }
        String app = string(metadata, SOURCE_APP);
        String type = string(metadata, SOURCE_TYPE);
        String ref = string(metadata, SOURCE_REF);
        MemorySource source = app == null && type == null && ref == null ? null
                : new MemorySource(app, type == null ? null : SourceType.fromWire(type), ref);
        Object confidence = metadata.get(CONFIDENCE);
        if (confidence != null && !(confidence instanceof Number)) {
            throw corrupt(CONFIDENCE + " is not a number");
        }
        String x = string(metadata, X);
        Map<String, Object> extensions = x == null ? Map.of()
                : OmpJson.read(x, new TypeReference<Map<String, Object>>() { });
        return new OmpFields(string(metadata, ID), string(metadata, USER), string(metadata, SCOPE),
                strings(metadata, TAGS), source, confidence == null ? null : ((Number) confidence).doubleValue(),
                instant(metadata, VALID_FROM), instant(metadata, VALID_TO), strings(metadata, SUPERSEDES),
                instant(metadata, CREATED_AT), extensions);
    }

    /**
     * A vendor's JSON metadata object as plain Java values (strings, numbers, booleans, lists,
     * maps): what {@link #decode(Map)} and {@link #foreign} read. Direct, without a mapper.
     *
     * @param metadata a JSON object, or null / not an object for none
     * @return its entries, in order
     */
    public static Map<String, Object> plain(com.fasterxml.jackson.databind.JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return Map.of();
        }
        // A read-only view that converts a value when it is read: decode() reads a dozen keys and
        // foreign() only the keys that are not the codec's, so most values are never converted.
        return new java.util.AbstractMap<>() {
            @Override
            public Object get(Object key) {
                com.fasterxml.jackson.databind.JsonNode v = key instanceof String k ? metadata.get(k) : null;
                return v == null ? null : value(v);
            }

            @Override
            public boolean containsKey(Object key) {
                return key instanceof String k && metadata.has(k);
            }

            @Override
            public int size() {
                return metadata.size();
            }

            @Override
            public java.util.Set<Map.Entry<String, Object>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public java.util.Iterator<Map.Entry<String, Object>> iterator() {
                        java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it =
                                metadata.fields();
                        return new java.util.Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public Map.Entry<String, Object> next() {
                                Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
                                return new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(), null) {
                                    @Override
                                    public Object getValue() {
                                        return value(e.getValue());
                                    }
                                };
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return metadata.size();
                    }
                };
            }
        };
    }

    /**
     * The codec's flat values (strings, numbers, booleans, string lists) as a JSON object, for a
     * vendor whose metadata is JSON.
     *
     * @param flat what {@link #encode} gave (and any flat values an adapter adds)
     * @return the JSON object
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode toJson(Map<String, Object> flat) {
        com.fasterxml.jackson.databind.node.ObjectNode o =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        flat.forEach((k, v) -> {
            if (v instanceof String str) {
                o.put(k, str);
            } else if (v instanceof Integer i) {
                o.put(k, i);
            } else if (v instanceof Long l) {
                o.put(k, l);
            } else if (v instanceof Number n) {
                o.put(k, n.doubleValue());
            } else if (v instanceof Boolean bool) {
                o.put(k, bool);
            } else if (v instanceof List<?> list) {
                com.fasterxml.jackson.databind.node.ArrayNode a = o.putArray(k);
                list.forEach(x -> a.add(String.valueOf(x)));
            } else {
                o.set(k, OmpJson.toTree(v));
            }
        });
        return o;
    }

    /**
     * The JSON value at the parser's current token as plain Java values, the same ones
     * {@link #plain(com.fasterxml.jackson.databind.JsonNode)} gives: for adapters that read a
     * vendor's answer with a streaming parser.
     *
     * @param p a parser whose current token starts the value
     * @return the value (a map for an object, null for JSON null)
     * @throws java.io.IOException when the JSON is malformed
     */
    public static Object plainValue(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        com.fasterxml.jackson.core.JsonToken t = p.currentToken();
        if (t == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "a value was expected");
        }
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                // As the tree view does: int when it fits, else long (a bigger integer keeps its low
                // 64 bits there too, rather than failing the whole answer).
                return switch (p.getNumberType()) {
                    case INT -> (Object) p.getIntValue();
                    case LONG -> (Object) p.getLongValue();
                    default -> (Object) p.getBigIntegerValue().longValue();
                };
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_ARRAY: {
                List<Object> out = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    out.add(plainValue(p));
                }
                return out;
            }
            case START_OBJECT: {
                Map<String, Object> out = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    p.nextToken();
                    out.put(name, plainValue(p));
                }
                return out;
            }
            case VALUE_NULL:
                return null;
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
    }

    private static Object value(com.fasterxml.jackson.databind.JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : (Object) n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(x -> out.add(value(x)));
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
            return out;
        }
        return null;
    }

    /**
     * @param metadata a vendor's metadata
     * @return its keys that are not the codec's (written by something else), in order
     */
    public static Map<String, Object> foreign(Map<String, ?> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, ?> e : metadata.entrySet()) {
                if (!e.getKey().startsWith("omp_")) {
                    out.put(e.getKey(), e.getValue()); // the value is read (and converted) only here
                }
            }
        }
        return out;
    }

    /**
     * @param scope a scope ({@code a/b/c})
     * @return its segment prefixes, shortest first ({@code a}, {@code a/b}, {@code a/b/c})
     */
    public static List<String> scopePrefixes(String scope) {
        List<String> out = new ArrayList<>();
        int at = scope.indexOf('/');
        while (at > 0) {
            out.add(scope.substring(0, at));
            at = scope.indexOf('/', at + 1);
        }
        out.add(scope);
        return out;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String string(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw corrupt(key + " is not a string");
        }
        return s;
    }

    private static List<String> strings(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list) || !list.stream().allMatch(e -> e instanceof String)) {
            throw corrupt(key + " is not a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static Instant instant(Map<String, ?> m, String key) {
        String v = string(m, key);
        try {
            return v == null ? null : Timestamps.parse(v);
        } catch (IllegalArgumentException e) {
            throw corrupt(key + " is not an RFC 3339 timestamp");
        }
    }

    private static ProviderException corrupt(String what) {
        return new ProviderException("vendor metadata: " + what, ErrorDetails.provider(null));
    }
}
