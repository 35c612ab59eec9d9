package blog.openmem.server;

import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys, stored hashed (SHA-256) in a JSON file:
 *
 * <pre>{@code
 * {"keys": [
 *   {"app": "cursor", "key_sha256": "<64 hex>", "users": ["alice"], "grants": ["read:*", "write:coding"]},
 *   {"app": "admin",  "key_sha256": "<64 hex>", "users": ["*"],     "grants": ["read:*", "write:*", "delete:*"]}
 * ]}
 * }</pre>
 *
 * A presented key is hashed and compared with every entry in constant time.
 */
public final class ApiKeys {
    private record Entry(byte[] hash, Principal principal) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /** @return no keys: the server runs open */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /**
     * @param file the keys file
     * @return the keys
     * @throws ConfigurationException naming the problem
     */
    public static ApiKeys load(Path file) {
        JsonNode root;
        try {
            root = OmpJson.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigurationException("--api-keys-file: cannot read " + file + " as JSON (" + e.getClass()
                    .getSimpleName() + ")");
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw new ConfigurationException("--api-keys-file: " + file + " has no \"keys\" array");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode k = keys.get(i);
            String where = "--api-keys-file: keys[" + i + "]";
            String app = text(k, "app", where);
            String hex = text(k, "key_sha256", where).toLowerCase(java.util.Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new ConfigurationException(where + ".key_sha256: must be 64 hex characters (java -jar"
                        + " omp-server.jar hash-key)");
            }
            Set<String> users = new LinkedHashSet<>();
            for (JsonNode u : array(k, "users", where)) {
                users.add(u.asText());
            }
            List<Principal.Grant> grants = new ArrayList<>();
            for (JsonNode g : array(k, "grants", where)) {
                try {
                    grants.add(Principal.Grant.parse(g.asText()));
                } catch (RuntimeException e) {
                    throw new ConfigurationException(where + ".grants: " + e.getMessage());
                }
            }
            entries.add(new Entry(HexFormat.of().parseHex(hex), new Principal(app, users.contains("*") ? null : users,
                    grants)));
        }
        return new ApiKeys(entries);
    }

    private static String text(JsonNode k, String field, String where) {
        JsonNode v = k.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ConfigurationException(where + "." + field + ": is required");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode k, String field, String where) {
        JsonNode v = k.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new ConfigurationException(where + "." + field + ": must be a non-empty array");
        }
        return v;
    }

    /** @return whether any key is configured */
    public boolean enabled() {
        return !entries.isEmpty();
    }

    /**
     * @param presented the key from the request
     * @return the caller, if the key matches one entry
     */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] h = sha256(presented);
        Principal found = null;
        // Every entry is compared, match or not, so timing does not tell which prefix matched.
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), h) && found == null) {
                found = e.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * @param key an API key
     * @return its SHA-256 as hex, the form stored in the keys file
     */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
