package blog.openmem.core;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids ({@code req_} and 16 hex digits): the SDK's own and the server's share one form. */
public final class RequestIds {
    private RequestIds() {
    }

    /** @return a fresh request id */
    public static String next() {
        return "req_" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }
}
