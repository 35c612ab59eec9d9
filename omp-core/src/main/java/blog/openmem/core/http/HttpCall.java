package blog.openmem.core.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One logical request to a {@link ResilientHttpClient}: retried, redirected and timed as a whole.
 *
 * @param method     the HTTP method, upper case
 * @param path       the path below the base URL, already percent-encoded (see {@link #segment})
 * @param query      query parameters (names and values unencoded), in order
 * @param headers    extra headers (not credentials: those come from the settings)
 * @param body       the JSON body, or null
 * @param idempotent whether a retry is safe: GET, HEAD, PUT, DELETE and OPTIONS are; a POST or
 *                   PATCH only when its builder said {@code idempotent(true)}
 * @param requestId  the request id sent as {@code X-Request-Id}, or null
 */
public record HttpCall(String method, String path, List<Map.Entry<String, String>> query, Map<String, String> headers,
                       byte[] body, boolean idempotent, String requestId) {

    /** Normalizes and copies. */
    public HttpCall {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        query = List.copyOf(query == null ? List.of() : query);
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    /**
     * @param method the method
     * @param path   the encoded path
     * @return a builder
     */
    public static Builder of(String method, String path) {
        return new Builder(method, path);
    }

    /**
     * @param raw one path segment (an id)
     * @return it percent-encoded, so {@code /}, {@code %}, {@code ..} and non-ASCII survive the trip
     */
    public static String segment(String raw) {
        if (plain(raw)) {
            return raw; // what the encoder would give, without its work (ids are mostly plain)
        }
        String s = URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
        // "." and ".." are path operators even when encoded by some servers: encode the dots too.
        return s.equals(".") || s.equals("..") ? s.replace(".", "%2E") : s;
    }

    /** @return whether every character is one the encoder keeps and the segment is no dot path */
    private static boolean plain(String raw) {
        if (raw.isEmpty() || raw.equals(".") || raw.equals("..")) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** @return the encoded query string without {@code ?}, empty when none */
    public String encodedQuery() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : query) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        // No query and no body: they carry user ids and memory text.
        return method + " " + path;
    }

    /** Builder for {@link HttpCall}. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private Boolean idempotent;
        private String requestId;

        private Builder(String method, String path) {
            this.method = method.toUpperCase(Locale.ROOT);
            this.path = path;
        }

        /**
         * @param name  parameter name
         * @param value value; null skips the parameter
         * @return this
         */
        public Builder param(String name, Object value) {
            if (value != null) {
                query.add(Map.entry(name, value.toString()));
            }
            return this;
        }

        /**
         * @param name  header name
         * @param value value; null skips the header
         * @return this
         */
        public Builder header(String name, String value) {
            if (value != null) {
                headers.put(name, value);
            }
            return this;
        }

        /** @param v JSON body @return this */
        public Builder body(byte[] v) { this.body = v; return this; }

        /** @param v whether a retry is safe (overrides the method's default) @return this */
        public Builder idempotent(boolean v) { this.idempotent = v; return this; }

        /** @param v the request id @return this */
        public Builder requestId(String v) { this.requestId = v; return this; }

        /** @return the call */
        public HttpCall build() {
            // A POST or PATCH is retried only when the caller says so: an Idempotency-Key header
            // proves nothing, since vendors ignore it and a retried add would create twice. Calls
            // that the server deduplicates (a caller-given id, an OMP server's key) or that change
            // nothing (a search POST) say idempotent(true).
            boolean safe = idempotent != null ? idempotent
                    : switch (method) {
                        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
                        default -> false;
                    };
            return new HttpCall(method, path, query, headers, body, safe, requestId);
        }
    }
}
