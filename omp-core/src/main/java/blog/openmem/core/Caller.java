package blog.openmem.core;

import blog.openmem.spi.CallContext;
import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import java.util.List;
import java.util.function.Function;

/**
 * Who calls through a {@link Memory} view: the app recorded in audit entries, a fixed request id
 * (the server's, per HTTP request) or none (a fresh one per call), and the scopes the caller may
 * read (null: no confinement).
 *
 * @param app        the calling application, or null
 * @param requestId  the request id every call uses, or null for a fresh one per call
 * @param readScopes the readable scope patterns, or null
 */
record Caller(String app, String requestId, List<ScopePattern> readScopes) {
    /** The caller of a client made by {@link MemoryBuilder}: no fixed request id, no confinement. */
    static Caller of(String app) {
        return new Caller(app, null, null);
    }

    Caller {
        readScopes = readScopes == null ? null : List.copyOf(readScopes);
    }

    /** @return the id of the next call: the fixed one, or a fresh one */
    String nextRequestId() {
        return requestId != null ? requestId : RequestIds.next();
    }

    /** @return what the provider is told about the call */
    CallContext context(String rid, Verb verb) {
        return new CallContext(rid, app, verb, null, readScopes);
    }

    /** @return whether a memory in {@code scope} may be shown to this caller */
    boolean readable(String scope) {
        return ScopePattern.anyMatches(readScopes, scope);
    }

    /**
     * Drops what the caller may not read, again after the provider: a provider that ignores the
     * patterns can return fewer results, never a memory outside them.
     */
    <T> List<T> confine(List<T> items, Function<T, String> scope) {
        return readScopes == null ? items : items.stream().filter(x -> readable(scope.apply(x))).toList();
    }
}
