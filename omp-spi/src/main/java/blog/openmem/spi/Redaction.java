package blog.openmem.spi;

import java.util.regex.Pattern;

/** Removes secrets from text that may reach a log, a message or a {@code toString()}. */
public final class Redaction {
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^/@:\\s]*):[^@/\\s]*@");
    private static final Pattern SECRET_PARAMS = Pattern.compile(
            "(?i)([?&;](?:password|passwd|pwd|api[_-]?key|apikey|key|token|access[_-]?token|secret)=)[^&;#\\s]*");

    private Redaction() {
    }

    /**
     * @param url a URL, possibly with {@code user:password@} or secret query parameters
     * @return the URL with the password and secret parameter values replaced by {@code ***}
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String s = USERINFO_PASSWORD.matcher(url).replaceAll("$1:***@");
        return SECRET_PARAMS.matcher(s).replaceAll("$1***");
    }
}
