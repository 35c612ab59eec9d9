package blog.openmem.sim;

import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;

/**
 * A fault injected into the next answer of a simulator (the request is still checked against
 * the OpenAPI file; the faulty answer is not, since it is outside what the file describes).
 *
 * @param kind    what happens
 * @param status  the status, for {@link Kind#STATUS}
 * @param body    the body, for {@link Kind#STATUS}
 * @param headers headers, for {@link Kind#STATUS}
 * @param delay   for {@link Kind#SLOW}: how long before the normal answer
 */
public record Fault(Kind kind, int status, String body, Map<String, String> headers, Duration delay) {
    /** What a fault does. */
    public enum Kind {
        /** Answer with a status and body instead of the normal answer; the request has no effect. */
        STATUS,
        /** Close the connection before answering; the request has no effect. */
        RESET,
        /** Answer normally (the request takes effect), after a delay. */
        SLOW,
        /** Never answer (the request has no effect). */
        STALL
    }

    /**
     * @param status a status
     * @param body   a body
     * @return the fault
     */
    public static Fault status(int status, String body) {
        return new Fault(Kind.STATUS, status, body, Map.of(), null);
    }

    /**
     * @param seconds the Retry-After value
     * @return 429 with Retry-After, as a rate-limited vendor answers
     */
    public static Fault rateLimited(int seconds) {
        return new Fault(Kind.STATUS, 429, "{\"detail\":\"Request was throttled.\"}",
                Map.of("Retry-After", String.valueOf(seconds)), null);
    }

    /** @return a connection reset */
    public static Fault reset() {
        return new Fault(Kind.RESET, 0, null, Map.of(), null);
    }

    /**
     * @param delay how long
     * @return a slow but normal answer
     */
    public static Fault slow(Duration delay) {
        return new Fault(Kind.SLOW, 0, null, Map.of(), delay);
    }

    /** @return an answer that never comes */
    public static Fault stall() {
        return new Fault(Kind.STALL, 0, null, Map.of(), null);
    }

    MockResponse response() {
        return switch (kind) {
            case RESET -> new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
            case STALL -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
            case STATUS -> {
                MockResponse.Builder b = new MockResponse.Builder().code(status).body(body == null ? "" : body)
                        .setHeader("Content-Type", "application/json");
                headers.forEach(b::setHeader);
                yield b.build();
            }
            case SLOW -> throw new IllegalStateException("a slow answer is the simulator's own");
        };
    }
}
