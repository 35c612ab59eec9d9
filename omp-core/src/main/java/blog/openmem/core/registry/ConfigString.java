package blog.openmem.core.registry;

import blog.openmem.spi.Redaction;
import blog.openmem.spi.error.ConfigurationException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one string that selects a provider and its target:
 * <ul>
 *   <li>{@code postgres://user@host:5432/db} (also {@code postgresql://}) → provider {@code postgres}, target the URL;</li>
 *   <li>{@code http://host:8080} or {@code https://…} → an OMP server, provider {@code passthrough};</li>
 *   <li>{@code <scheme>://…} → the provider whose id or alias is the scheme, target the URL;</li>
 *   <li>a bare id such as {@code mem0}, {@code supermemory}, {@code letta} → that provider, no target.</li>
 * </ul>
 * Secrets are never required in the string; a password in it is accepted but redacted in
 * {@link #toString()}.
 *
 * @param providerId the provider id or alias (lower case)
 * @param target     the URL, or null
 */
public record ConfigString(String providerId, String target) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    /**
     * @param text the config string
     * @return its parts
     * @throws ConfigurationException when empty or not of one of the forms above
     */
    public static ConfigString parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigurationException("the provider config string is empty; use e.g. 'postgres://localhost/omp',"
                    + " 'mem0' or 'http://localhost:8080'");
        }
        String s = text.trim();
        int sep = s.indexOf("://");
        if (sep > 0) {
            String scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!ID.matcher(scheme).matches()) {
                throw new ConfigurationException("provider config string has an invalid scheme: "
                        + Redaction.url(s));
            }
            if (scheme.equals("http") || scheme.equals("https")) {
                return new ConfigString("passthrough", s);
            }
            return new ConfigString(scheme, s);
        }
        String id = s.toLowerCase(Locale.ROOT);
        if (!ID.matcher(id).matches()) {
            throw new ConfigurationException("provider config string '" + Redaction.url(s)
                    + "' is neither a provider id (like 'mem0') nor a URL (like 'postgres://host/db')");
        }
        return new ConfigString(id, null);
    }

    @Override
    public String toString() {
        return target == null ? providerId : Redaction.url(target);
    }
}
