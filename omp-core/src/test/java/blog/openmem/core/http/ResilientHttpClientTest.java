package blog.openmem.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.RateLimitedException;
import blog.openmem.spi.error.UnauthorizedException;
import blog.openmem.spi.model.Capabilities;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure cases of the shared client, scripted on MockWebServer. Every test asserts how many
 * requests reached the server, and waits go through a recording sleeper (no real backoff).
 */
class ResilientHttpClientTest {
    MockWebServer server;
    final RecordingSleeper sleeper = new RecordingSleeper();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    HttpSettings.Builder settings() {
        return HttpSettings.builder("testprov", base()).backoffBase(Duration.ofMillis(200))
                .backoffMax(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(30));
    }

    ResilientHttpClient client(HttpSettings.Builder s) {
        return ResilientHttpClient.builder(s.build()).clock(clock).sleeper(sleeper).jitter(() -> 0.0).build();
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    static HttpCall get(String path) {
        return HttpCall.of("GET", path).build();
    }

    @Test
    void rateLimitedWaitsTheStatedTimeThenSucceeds() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "2").body("{}").build());
        server.enqueue(json(200, "{\"ok\":true}"));
        HttpResult r = client(settings()).send(get("/capabilities"));
        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofSeconds(2)), sleeper.waits);
        assertEquals(2, server.getRequestCount());
        assertEquals(2, r.attempts());
    }

    @Test
    void retryAfterAsHttpDateIsHonoured() {
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "Tue, 24 Nov 2026 10:00:07 GMT")
                .body("busy").build());
        server.enqueue(json(200, "{}"));
        client(settings()).send(get("/x"));
        assertEquals(List.of(Duration.ofSeconds(7)), sleeper.waits);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void unavailableThenOkRetriesWithBackoff() {
        server.enqueue(json(503, "{\"error\":{\"code\":\"provider_unavailable\",\"message\":\"db down\","
                + "\"type\":\"provider_error\",\"request_id\":\"r1\"}}"));
        server.enqueue(json(200, "{}"));
        HttpResult r = client(settings()).send(get("/memories?x"));
        assertEquals(200, r.status());
        // jitter 0 → half of the 200 ms base
        assertEquals(List.of(Duration.ofMillis(100)), sleeper.waits);
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void backoffGrowsExponentiallyAndStopsAtMaxAttempts() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(500).body("<html>oops</html>").build());
        }
        ProviderException e = assertThrows(ProviderException.class,
                () -> client(settings().maxAttempts(3)).send(get("/x")));
        assertEquals("provider_error", e.code());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
        assertTrue(e.getMessage().contains("oops"), e.getMessage());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeper.waits);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void connectionResetIsRetriedForIdempotentCalls() throws Exception {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(200, "{}"));
        assertEquals(200, client(settings()).send(get("/x")).status());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void connectionResetIsNotRetriedForAPostWithoutKey() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        server.enqueue(json(201, "{}"));
        HttpCall post = HttpCall.of("POST", "/memories").body("{}".getBytes(StandardCharsets.UTF_8)).build();
        assertFalse(post.idempotent());
        OmpException e = assertThrows(OmpException.class, () -> client(settings()).send(post));
        assertEquals("provider_error", e.code());
        assertEquals(1, server.getRequestCount());
        assertTrue(sleeper.waits.isEmpty());
    }

    @Test
    void aPostTheServerDeduplicatesIsRetried() throws Exception {
        server.enqueue(json(503, "{}"));
        server.enqueue(json(201, "{\"id\":\"m1\"}"));
        HttpCall post = HttpCall.of("POST", "/memories").header("Idempotency-Key", "k-1").idempotent(true)
                .body("{}".getBytes(StandardCharsets.UTF_8)).build();
        assertTrue(post.idempotent());
        assertEquals(201, client(settings()).send(post).status());
        assertEquals(2, server.getRequestCount());
        assertEquals("k-1", server.takeRequest().getHeaders().get("Idempotency-Key"));
        assertEquals("k-1", server.takeRequest().getHeaders().get("Idempotency-Key"));
    }

    /** Vendors ignore Idempotency-Key: the header alone must not make a retried add create twice. */
    @Test
    void anIdempotencyKeyHeaderAloneDoesNotMakeAPostRetryable() {
        server.enqueue(json(503, "{}"));
        server.enqueue(json(201, "{\"id\":\"m1\"}"));
        HttpCall post = HttpCall.of("POST", "/v3/memories/add/").header("Idempotency-Key", "k-1")
                .body("{}".getBytes(StandardCharsets.UTF_8)).build();
        assertFalse(post.idempotent());
        assertThrows(ProviderUnavailableException.class, () -> client(settings()).send(post));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aVendorsClassifierReadsItsOwnErrorsAndDecidesRetries() {
        server.enqueue(json(400, "{\"error\":\"Memory not found\"}"));
        server.enqueue(json(409, "{\"error\":\"still processing\"}"));
        server.enqueue(json(200, "{}"));
        ErrorClassifier c = (status, headers, body, standard) -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (status == 400 && text.contains("not found")) {
                return java.util.Optional.of(new blog.openmem.spi.error.NotFoundException("gone",
                        blog.openmem.spi.error.ErrorDetails.provider("test")));
            }
            if (status == 409) {
                return java.util.Optional.of(new ProviderUnavailableException("busy",
                        blog.openmem.spi.error.ErrorDetails.provider("test")));
            }
            return java.util.Optional.empty();
        };
        ResilientHttpClient client = ResilientHttpClient.builder(settings().build()).sleeper(sleeper).errors(c).build();
        assertThrows(blog.openmem.spi.error.NotFoundException.class, () -> client.send(get("/m/1")));
        assertEquals(200, client.send(get("/m/2")).status(), "the 409 was retried as the classifier said");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void postWithoutKeyIsNotRetriedOn503() {
        server.enqueue(json(503, "{}"));
        HttpCall post = HttpCall.of("POST", "/memories").body("{}".getBytes(StandardCharsets.UTF_8)).build();
        assertThrows(ProviderUnavailableException.class, () -> client(settings()).send(post));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aResponseThatNeverArrivesHitsTheDeadline() {
        server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        ResilientHttpClient c = ResilientHttpClient.builder(settings().deadline(Duration.ofMillis(400))
                .requestTimeout(Duration.ofSeconds(10)).build()).sleeper(sleeper).build();
        long t0 = System.nanoTime();
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class, () -> c.send(get("/slow")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 350 && ms < 3000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void cancellingTheAsyncFutureAbortsTheRequestOnTheWire() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ResilientHttpClient c = ResilientHttpClient.create(
                    HttpSettings.builder("testprov", "http://127.0.0.1:" + ss.getLocalPort()).build());
            CompletableFuture<HttpResult> f = c.sendAsync(get("/never"));
            ss.setSoTimeout(5000);
            try (Socket s = ss.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                int n = in.read(buf); // the request arrives
                assertTrue(n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("GET /never"));
                assertTrue(f.cancel(true));
                long t0 = System.nanoTime();
                int next = in.read(buf); // the client closes its end: end of stream (or a reset)
                assertEquals(-1, next);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4));
            } catch (java.net.SocketException reset) {
                // a reset is also the request aborted on the wire
            }
            assertTrue(f.isCancelled());
        }
    }

    @Test
    void asyncRetriesWithoutBlocking() throws Exception {
        server.enqueue(json(503, "{}"));
        server.enqueue(json(200, "{\"a\":1}"));
        HttpResult r = client(settings()).sendAsync(get("/x")).get(5, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofMillis(100)), sleeper.delays);
        assertTrue(sleeper.waits.isEmpty());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void asyncFailuresAreTheMappedException() {
        server.enqueue(json(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"memory 'x' not found\","
                + "\"type\":\"not_found\",\"request_id\":\"rq\"}}"));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client(settings()).sendAsync(get("/memories/x")).get(5, TimeUnit.SECONDS));
        OmpException o = assertInstanceOf(OmpException.class, e.getCause());
        assertEquals("not_found", o.code());
        assertEquals("rq", o.requestId().orElseThrow());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void malformedJsonIsAProviderError() {
        server.enqueue(json(200, "{\"omp_version\": 0.1,,,"));
        HttpResult r = client(settings()).send(get("/capabilities"));
        ProviderException e = assertThrows(ProviderException.class, () -> r.json(Capabilities.class));
        assertEquals(502, e.httpStatus());
        assertTrue(e.getMessage().contains("GET /capabilities"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void nonOmpErrorBodiesMapByStatusAndKeepTheVendorMessage() {
        server.enqueue(json(422, "{\"detail\":[{\"loc\":[\"body\",\"text\"],\"msg\":\"field required\"}]}"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> client(settings()).send(HttpCall.of("POST", "/v1/memories").body(new byte[] {'{', '}'}).build()));
        assertTrue(e.getMessage().contains("field required"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 422"), e.getMessage());
        server.enqueue(json(401, "{\"message\":\"bad token\"}"));
        UnauthorizedException u = assertThrows(UnauthorizedException.class, () -> client(settings()).send(get("/a")));
        assertTrue(u.getMessage().contains("bad token"));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void unknownEnvelopeCodesBecomeProviderErrorsKeepingTheCode() {
        server.enqueue(json(409, "{\"error\":{\"code\":\"conflict_future\",\"message\":\"later\",\"type\":\"x\","
                + "\"request_id\":\"r9\"}}"));
        OmpException e = assertThrows(OmpException.class, () -> client(settings()).send(get("/a")));
        assertInstanceOf(ProviderException.class, e);
        assertEquals("conflict_future", e.code());
        assertEquals(409, e.httpStatus());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void oneRedirectIsFollowed() throws Exception {
        server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/moved?a=1").build());
        server.enqueue(json(200, "{}"));
        HttpResult r = client(settings().credential("X-API-Key", "k-123456")).send(get("/orig"));
        assertEquals(200, r.status());
        assertEquals(2, server.getRequestCount());
        assertEquals("/orig", server.takeRequest().getTarget());
        RecordedRequest second = server.takeRequest();
        assertEquals("/moved?a=1", second.getTarget());
        assertEquals("k-123456", second.getHeaders().get("X-API-Key"));
    }

    @Test
    void redirectLoopsAreRefused() {
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/b").build());
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/a").build());
        server.enqueue(json(200, "{}"));
        ProviderException e = assertThrows(ProviderException.class, () -> client(settings()).send(get("/a")));
        assertTrue(e.getMessage().contains("redirect loop"), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void tooManyRedirectsAreRefused() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder().code(301).setHeader("Location", "/r" + i).build());
        }
        ProviderException e = assertThrows(ProviderException.class,
                () -> client(settings().maxRedirects(1)).send(get("/start")));
        assertTrue(e.getMessage().contains("more than 1"), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void credentialsAreNotSentToAnotherOrigin() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start(InetAddress.getLoopbackAddress(), 0);
            other.enqueue(json(200, "{}"));
            server.enqueue(new MockResponse.Builder().code(307)
                    .setHeader("Location", "http://localhost:" + other.getPort() + "/there").build());
            client(settings().credential("Authorization", "Bearer tok-abcdef")).send(get("/here"));
            assertEquals("Bearer tok-abcdef", server.takeRequest().getHeaders().get("Authorization"));
            assertNull(other.takeRequest().getHeaders().get("Authorization"));
            assertEquals(1, server.getRequestCount());
            assertEquals(1, other.getRequestCount());
        }
    }

    @Test
    void circuitOpensAfterRepeatedFailuresAndClosesAfterTheCoolDown() {
        ResilientHttpClient c = client(settings().maxAttempts(1).circuitWindow(4).circuitMinCalls(4)
                .circuitFailureRate(50).circuitOpenFor(Duration.ofSeconds(30)));
        for (int i = 0; i < 4; i++) {
            server.enqueue(json(500, "{}"));
        }
        for (int i = 0; i < 4; i++) {
            assertThrows(ProviderException.class, () -> c.send(get("/x")));
        }
        assertEquals("OPEN", c.circuitState());
        ProviderUnavailableException open = assertThrows(ProviderUnavailableException.class, () -> c.send(get("/x")));
        assertTrue(open.getMessage().contains("circuit open"), open.getMessage());
        assertEquals(4, server.getRequestCount(), "an open circuit sends nothing");

        clock.advance(Duration.ofSeconds(31));
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(200, "{}"));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, c.send(get("/x")).status());
        }
        assertEquals("CLOSED", c.circuitState());
        assertEquals(7, server.getRequestCount());
    }

    @Test
    void retryAfterBeyondTheDeadlineFailsAtOnceWithTheWait() {
        server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "60").body("{}").build());
        RateLimitedException e = assertThrows(RateLimitedException.class,
                () -> client(settings().deadline(Duration.ofSeconds(5))).send(get("/x")));
        assertEquals(Duration.ofSeconds(60), e.retryAfter().orElseThrow());
        assertTrue(sleeper.waits.isEmpty());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void clientSideRateLimitSpacesRequests() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(json(200, "{}"));
        }
        ResilientHttpClient c = client(settings().rateLimitPerSecond(2));
        for (int i = 0; i < 4; i++) {
            c.send(get("/x"));
        }
        assertEquals(4, server.getRequestCount());
        // 2/s in slices of 1 permit per 500 ms: the later calls had to wait
        assertFalse(sleeper.waits.isEmpty());
        assertTrue(sleeper.waits.get(sleeper.waits.size() - 1).toMillis() >= 500, sleeper.waits.toString());
    }

    @Test
    void idsArePercentEncodedAsOneSegment() throws Exception {
        server.enqueue(json(200, "{}"));
        client(settings()).send(get("/memories/" + HttpCall.segment("a/b%c ü")));
        assertEquals("/memories/a%2Fb%25c%20%C3%BC", server.takeRequest().getTarget());
        assertEquals("%2E%2E", HttpCall.segment(".."));
        assertEquals("%2E", HttpCall.segment("."));
        assertEquals("", HttpCall.segment(""));
        for (String plain : new String[] {"mem_0a1B.user-x", "a.b", "...", "x~y", "a*b", "a:b"}) {
            assertEquals(java.net.URLEncoder.encode(plain, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"), HttpCall.segment(plain), plain);
        }
    }

    /** Records waits instead of sleeping. */
    static final class RecordingSleeper implements Sleeper {
        final List<Duration> waits = new CopyOnWriteArrayList<>();
        final List<Duration> delays = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration d) {
            waits.add(d);
        }

        @Override
        public CompletableFuture<Void> delay(Duration d) {
            delays.add(d);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
