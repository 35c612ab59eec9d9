package blog.openmem.spi;

import blog.openmem.spi.model.Verb;

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
 */
public record CallContext(String requestId, String app, Verb operation, String idempotencyKey) {
    /**
     * @param requestId the request id
     * @param app       the app, or null
     * @param operation the operation, or null
     */
    public CallContext(String requestId, String app, Verb operation) {
        this(requestId, app, operation, null);
    }

    /**
     * @param requestId a request id
     * @return a context without app or operation
     */
    public static CallContext of(String requestId) {
        return new CallContext(requestId, null, null, null);
    }

    /**
     * @param verb the operation
     * @return this context for another operation
     */
    public CallContext forOperation(Verb verb) {
        return new CallContext(requestId, app, verb, idempotencyKey);
    }

    /**
     * @param key an idempotency key
     * @return this context carrying the key
     */
    public CallContext withIdempotencyKey(String key) {
        return new CallContext(requestId, app, operation, key);
    }
}
