package blog.openmem.spi;

import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import java.util.List;

/**
 * Who is calling and for what, passed to every provider call so audit entries can name the app,
 * the request and the operation (CONTRACT §8, D-11).
 *
 * @param requestId      the request id (never null once the facade has filled it in)
 * @param app            the authenticated caller's app name, or null
 * @param operation      the verb the caller performs; {@link Verb#CONTEXT} when the client calls
 *                       {@code search} to assemble a context block; null when unknown
 * @param idempotencyKey on {@code add}: the caller's idempotency key, stored with the memory so a
 *                       repeat returns it instead of creating another; null otherwise
 * @param readScopes     the scope patterns the caller may read (a server's read grants, CONTRACT
 *                       §4), or null when it may read everything: list, search, context and audit
 *                       then return only memories and audit entries whose scope matches one of
 *                       them (an unscoped one matches none), within the query's own scope filter,
 *                       and before {@code limit} is applied. An empty list matches nothing.
 */
public record CallContext(String requestId, String app, Verb operation, String idempotencyKey,
                          List<ScopePattern> readScopes) {
    /** Copies the scope list. */
    public CallContext {
        readScopes = readScopes == null ? null : List.copyOf(readScopes);
    }

    /**
     * @param requestId      the request id
     * @param app            the app, or null
     * @param operation      the operation, or null
     * @param idempotencyKey the idempotency key, or null
     */
    public CallContext(String requestId, String app, Verb operation, String idempotencyKey) {
        this(requestId, app, operation, idempotencyKey, null);
    }

    /**
     * @param requestId the request id
     * @param app       the app, or null
     * @param operation the operation, or null
     */
    public CallContext(String requestId, String app, Verb operation) {
        this(requestId, app, operation, null, null);
    }

    /**
     * @param requestId a request id
     * @return a context without app or operation
     */
    public static CallContext of(String requestId) {
        return new CallContext(requestId, null, null, null, null);
    }

    /**
     * @param key an idempotency key
     * @return this context carrying the key
     */
    public CallContext withIdempotencyKey(String key) {
        return new CallContext(requestId, app, operation, key, readScopes);
    }
}
