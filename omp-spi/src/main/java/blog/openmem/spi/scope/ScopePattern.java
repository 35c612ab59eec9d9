package blog.openmem.spi.scope;

import blog.openmem.spi.error.InvalidRequestException;
import java.util.List;
import java.util.Objects;

/**
 * The single scope matcher of CONTRACT §4 (D-3), used by list, search, context, audit and grants.
 *
 * <table>
 *   <caption>Patterns</caption>
 *   <tr><th>pattern</th><th>matches</th><th>does not match</th></tr>
 *   <tr><td>{@code coding}</td><td>{@code coding}, {@code coding/a}, {@code coding/a/b}</td>
 *       <td>{@code codingX}, {@code code}, unscoped</td></tr>
 *   <tr><td>{@code coding/*}</td><td>{@code coding/a}, {@code coding/a/b}</td>
 *       <td>{@code coding}, unscoped</td></tr>
 *   <tr><td>{@code *}</td><td>every scoped memory</td><td>unscoped</td></tr>
 * </table>
 */
public final class ScopePattern {
    private enum Kind { ANY, SUBTREE, CHILDREN }

    private static final ScopePattern ANY = new ScopePattern(Kind.ANY, null);

    private final Kind kind;
    private final String base;

    private ScopePattern(Kind kind, String base) {
        this.kind = kind;
        this.base = base;
    }

    /**
     * Parses a pattern.
     *
     * @param pattern the pattern text
     * @return the pattern
     * @throws InvalidRequestException naming {@code scope} when the pattern is malformed
     */
    public static ScopePattern parse(String pattern) {
        return parse(pattern, "scope");
    }

    /**
     * Parses a pattern, naming another field in errors.
     *
     * @param pattern the pattern text
     * @param field   the field name for error messages
     * @return the pattern
     * @throws InvalidRequestException when the pattern is malformed
     */
    public static ScopePattern parse(String pattern, String field) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidRequestException(field + ": must not be empty");
        }
        if (pattern.equals("*")) {
            return ANY;
        }
        if (pattern.endsWith("/*")) {
            String b = pattern.substring(0, pattern.length() - 2);
            validateScope(b, field);
            return new ScopePattern(Kind.CHILDREN, b);
        }
        validateScope(pattern, field);
        return new ScopePattern(Kind.SUBTREE, pattern);
    }

    /**
     * Checks a memory's scope: non-empty segments, no leading or trailing {@code /}, no {@code *}.
     *
     * @param scope the scope
     * @param field the field name for error messages
     * @throws InvalidRequestException when malformed
     */
    public static void validateScope(String scope, String field) {
        if (scope == null || scope.isEmpty()) {
            throw new InvalidRequestException(field + ": must not be empty");
        }
        if (scope.startsWith("/") || scope.endsWith("/")) {
            throw new InvalidRequestException(field + ": must not start or end with '/'");
        }
        if (scope.contains("//")) {
            throw new InvalidRequestException(field + ": segments must not be empty");
        }
        if (scope.indexOf('*') >= 0) {
            throw new InvalidRequestException(field + ": '*' is only allowed as the whole last segment of a pattern");
        }
        for (int i = 0; i < scope.length(); i++) {
            if (Character.isISOControl(scope.charAt(i))) {
                throw new InvalidRequestException(field + ": must not contain control characters");
            }
        }
        if (!scope.strip().equals(scope)) {
            throw new InvalidRequestException(field + ": must not start or end with white space");
        }
    }

    /**
     * @param scope a memory's scope, null for an unscoped memory
     * @return whether the pattern matches it; unscoped memories never match
     */
    public boolean matches(String scope) {
        if (scope == null) {
            return false;
        }
        return switch (kind) {
            case ANY -> true;
            case SUBTREE -> scope.equals(base) || scope.startsWith(base + "/");
            case CHILDREN -> scope.startsWith(base + "/");
        };
    }

    /**
     * Whether every scope this pattern matches is also matched by {@code other}: the check a
     * server does for an explicit {@code scope} parameter against a grant.
     *
     * @param other a broader pattern
     * @return true when {@code other} covers this pattern
     */
    public boolean isWithin(ScopePattern other) {
        if (other.kind == Kind.ANY) {
            return true;
        }
        if (kind == Kind.ANY) {
            return false;
        }
        // A children pattern matches only scopes strictly under base: covered when base itself lies
        // in the other pattern's subtree, whatever its kind.
        if (kind == Kind.CHILDREN) {
            return base.equals(other.base) || base.startsWith(other.base + "/");
        }
        return other.matches(base);
    }

    /**
     * Renders the pattern as a parameterised SQL predicate with {@code LIKE} wildcards escaped, so
     * user text can never act as a wildcard (CONTRACT §4).
     *
     * @param column the (trusted) column expression
     * @return SQL text with {@code ?} placeholders and its parameters
     */
    public SqlPredicate toSql(String column) {
        return switch (kind) {
            case ANY -> new SqlPredicate(column + " IS NOT NULL", List.of());
            case SUBTREE -> new SqlPredicate("(" + column + " = ? OR " + column + " LIKE ? ESCAPE '\\')",
                    List.of(base, escapeLike(base) + "/%"));
            case CHILDREN -> new SqlPredicate(column + " LIKE ? ESCAPE '\\'", List.of(escapeLike(base) + "/%"));
        };
    }

    /**
     * @param patterns patterns, or null for no confinement
     * @param scope    a memory's scope (null = unscoped)
     * @return true when {@code patterns} is null or one of them matches
     */
    public static boolean anyMatches(java.util.List<ScopePattern> patterns, String scope) {
        if (patterns == null) {
            return true;
        }
        for (ScopePattern p : patterns) {
            if (p.matches(scope)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The SQL form of {@link #anyMatches}: one predicate over a text column.
     *
     * @param patterns patterns (not null); empty matches nothing
     * @param column   the column
     * @return {@code (p1 OR p2 ...)}, or {@code false} for no pattern
     */
    public static SqlPredicate anyToSql(java.util.List<ScopePattern> patterns, String column) {
        if (patterns.isEmpty()) {
            return new SqlPredicate("false", List.of());
        }
        StringBuilder sql = new StringBuilder("(");
        java.util.List<Object> params = new java.util.ArrayList<>();
        for (ScopePattern p : patterns) {
            SqlPredicate one = p.toSql(column);
            sql.append(sql.length() > 1 ? " OR " : "").append(one.sql());
            params.addAll(one.parameters());
        }
        return new SqlPredicate(sql.append(')').toString(), params);
    }

    /**
     * @param text user text
     * @return the text with {@code \}, {@code %} and {@code _} escaped by {@code \}
     */
    public static String escapeLike(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '%' || c == '_') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** @return true for {@code *} */
    public boolean isAny() {
        return kind == Kind.ANY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopePattern p && p.kind == kind && Objects.equals(p.base, base);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, base);
    }

    /** @return the pattern text, e.g. {@code coding/*} */
    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "*";
            case SUBTREE -> base;
            case CHILDREN -> base + "/*";
        };
    }
}
