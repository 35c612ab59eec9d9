package blog.openmem.server;

import blog.openmem.spi.error.ScopeDeniedException;
import blog.openmem.spi.scope.ScopePattern;
import java.util.List;
import java.util.Set;

/**
 * An authenticated caller: its app name, the users it may act for, and its grants
 * {@code <read|write|delete>:<scope-pattern>} (CONTRACT §4). {@code <access>:*} covers every
 * memory, scoped or not; narrower grants never cover unscoped memories.
 *
 * @param app    the app name, recorded in audit entries
 * @param users  the users it may act for; null means all
 * @param grants its grants
 */
public record Principal(String app, Set<String> users, List<Grant> grants) {
    /** The caller of a server without keys: everything is allowed. */
    public static final Principal OPEN = new Principal(null, null, List.of(
            new Grant(Access.READ, null), new Grant(Access.WRITE, null), new Grant(Access.DELETE, null)));

    /**
     * @param name an app name
     * @return this principal acting as that app
     */
    public Principal withApp(String name) {
        return new Principal(name, users, grants);
    }

    /** What a grant allows. */
    public enum Access {
        /** get, list, search, context, audit */
        READ,
        /** add, update */
        WRITE,
        /** delete */
        DELETE
    }

    /**
     * One grant.
     *
     * @param access  what it allows
     * @param pattern where; null for {@code *} (every memory, scoped or not)
     */
    public record Grant(Access access, ScopePattern pattern) {
        /**
         * @param text {@code read:coding/*}, {@code write:*}, ...
         * @return the grant
         * @throws IllegalArgumentException when malformed
         */
        public static Grant parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("grant '" + text + "' is not <read|write|delete>:<scope-pattern>");
            }
            Access access = switch (text.substring(0, colon)) {
                case "read" -> Access.READ;
                case "write" -> Access.WRITE;
                case "delete" -> Access.DELETE;
                default -> throw new IllegalArgumentException("grant '" + text + "': the verb must be read, write or"
                        + " delete");
            };
            String pattern = text.substring(colon + 1);
            return new Grant(access, pattern.equals("*") ? null : ScopePattern.parse(pattern, "grant"));
        }

        @Override
        public String toString() {
            return access.name().toLowerCase(java.util.Locale.ROOT) + ":" + (pattern == null ? "*" : pattern);
        }
    }

    /**
     * @param userId a user id
     * @return whether this caller may act for the user
     */
    public boolean mayActFor(String userId) {
        return users == null || users.contains(userId);
    }

    /**
     * @param access the access needed
     * @param scope  a memory's scope (null = unscoped)
     * @return whether a grant covers that memory
     */
    public boolean covers(Access access, String scope) {
        for (Grant g : grants) {
            if (g.access() == access && (g.pattern() == null || g.pattern().matches(scope))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param access the access needed
     * @param scope  a memory's scope
     * @throws ScopeDeniedException naming the missing grant
     */
    public void require(Access access, String scope) {
        if (!covers(access, scope)) {
            throw new ScopeDeniedException("app \"" + app + "\" lacks " + access.name().toLowerCase(java.util.Locale.ROOT)
                    + ":" + (scope == null ? "*" : scope));
        }
    }

    /**
     * For a query with an explicit scope pattern.
     *
     * @param access  the access needed
     * @param pattern the requested pattern
     * @throws ScopeDeniedException when no grant covers all of it
     */
    public void requirePattern(Access access, ScopePattern pattern) {
        for (Grant g : grants) {
            if (g.access() == access && (g.pattern() == null || pattern.isWithin(g.pattern()))) {
                return;
            }
        }
        throw new ScopeDeniedException("app \"" + app + "\" lacks " + access.name().toLowerCase(java.util.Locale.ROOT)
                + ":" + pattern);
    }

    /**
     * @param access the access
     * @return true when a grant covers everything (no confinement needed)
     */
    public boolean unrestricted(Access access) {
        return grants.stream().anyMatch(g -> g.access() == access && g.pattern() == null);
    }

    /**
     * @param access the access
     * @return the patterns results must be confined to (when not {@link #unrestricted})
     */
    public List<ScopePattern> patterns(Access access) {
        return grants.stream().filter(g -> g.access() == access && g.pattern() != null).map(Grant::pattern).toList();
    }
}
