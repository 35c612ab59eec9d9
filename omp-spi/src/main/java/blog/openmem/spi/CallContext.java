package blog.openmem.spi;

/**
 * Who is calling, passed to every provider call so audit entries can name the app and the
 * request (CONTRACT §8, D-11).
 *
 * @param requestId the request id (never null once the facade has filled it in)
 * @param app       the authenticated caller's app name, or null
 */
public record CallContext(String requestId, String app) {
    /**
     * @param requestId a request id
     * @return a context without an app
     */
    public static CallContext of(String requestId) {
        return new CallContext(requestId, null);
    }
}
