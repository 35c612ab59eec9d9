package blog.openmem.core.http;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.RateLimitedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client every HTTP-based adapter shares: {@code java.net.http} with a per-attempt
 * timeout and an overall deadline; retries of idempotent calls (and POSTs with an
 * {@code Idempotency-Key}) on connect errors, 5xx, 408 and 429 with exponential backoff and jitter,
 * honouring {@code Retry-After} but never past the deadline; a Resilience4j circuit breaker per
 * origin (open → {@code provider_unavailable} without sending); an optional client-side rate
 * limit; redirects followed up to a limit, loops refused, credentials never sent to another
 * origin; one error mapping ({@link HttpErrors}); and no secret in any log line or message.
 *
 * <p>{@link #send} blocks; {@link #sendAsync} is natively asynchronous ({@code sendAsync} and
 * scheduled waits, no thread held), and cancelling its future aborts the request in flight.
 * Thread-safe; one instance per base URL.
 */
public final class ResilientHttpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("blog.openmem.core.http");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<Integer> RETRY_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504);
    private static final String USER_AGENT = "openmem-java/0.1";

    private final HttpSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final RateLimiter limiter;
    private final List<String> secrets;
    private final ErrorClassifier classifier;
    private final String baseOrigin;
    private final CircuitBreaker baseBreaker;
    /**
     * The headers every request to the base URL carries, checked once: each request copies it
     * ({@link HttpRequest.Builder#copy}) instead of setting and validating them again. Never
     * changed after construction, so concurrent copies are safe.
     */
    private final HttpRequest.Builder baseTemplate;

    private ResilientHttpClient(Builder b) {
        this.settings = b.settings;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.jitter = b.jitter;
        this.classifier = b.classifier;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // HTTP/2 only where ALPN can choose it: on plain http the JDK client asks for an h2c
                // upgrade in the headers of every request, which no vendor grants and each one parses.
                .version(settings.http2() && "https".equalsIgnoreCase(settings.baseUrl().getScheme())
                        ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
        this.limiter = settings.rateLimitPerSecond() > 0 ? rateLimiter(settings) : null;
        List<String> s = new ArrayList<>();
        for (String v : settings.credentials().values()) {
            s.add(v);
            int space = v.indexOf(' ');
            if (space > 0 && space < v.length() - 1) {
                s.add(v.substring(space + 1)); // the token of "Bearer <token>"
            }
        }
        this.secrets = List.copyOf(s);
        this.baseOrigin = settings.origin();
        this.baseBreaker = breaker(settings.baseUrl());
        this.baseTemplate = fixedHeaders(HttpRequest.newBuilder(), settings.baseUrl(), true);
    }

    /** Sets what every request to {@code uri} carries: Accept, User-Agent, the version, and the credentials. */
    private HttpRequest.Builder fixedHeaders(HttpRequest.Builder rb, URI uri, boolean credentials) {
        rb.header("Accept", "application/json").header("User-Agent", USER_AGENT);
        if (!settings.http2() || !"https".equalsIgnoreCase(uri.getScheme())) {
            rb.version(HttpClient.Version.HTTP_1_1);
        }
        if (credentials) {
            settings.credentials().forEach(rb::header);
        }
        return rb;
    }

    private static RateLimiter rateLimiter(HttpSettings s) {
        // Permits per 100 ms slice keep bursts small; at least one permit per slice.
        double perSlice = s.rateLimitPerSecond() / 10.0;
        int permits = (int) Math.max(1, Math.round(perSlice));
        Duration period = Duration.ofNanos((long) (permits * 1e9 / s.rateLimitPerSecond()));
        return RateLimiter.of(s.provider() + "@" + s.origin(), RateLimiterConfig.custom()
                .limitForPeriod(permits).limitRefreshPeriod(period).timeoutDuration(s.deadline()).build());
    }

    /**
     * @param settings the settings
     * @return a builder (clock, sleeper and jitter are injectable for tests)
     */
    public static Builder builder(HttpSettings settings) {
        return new Builder(settings);
    }

    /**
     * @param settings the settings
     * @return a client with the real clock and sleeper
     */
    public static ResilientHttpClient create(HttpSettings settings) {
        return builder(settings).build();
    }

    /** @return the settings */
    public HttpSettings settings() {
        return settings;
    }

    /**
     * @return the state of the circuit for the base URL ({@code CLOSED}, {@code OPEN},
     *     {@code HALF_OPEN}, ...)
     */
    public String circuitState() {
        return baseBreaker.getState().name();
    }

    /**
     * Sends a call, retrying and following redirects as configured, and blocks for the outcome.
     *
     * @param call the call
     * @return the 2xx response
     * @throws OmpException the mapped failure
     */
    public HttpResult send(HttpCall call) {
        Exchange x = new Exchange(call);
        while (true) {
            sleep(x.reserveRatePermit());
            Attempt a = x.start();
            HttpResponse<byte[]> response = null;
            Throwable error = null;
            try {
                response = http.send(a.request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                error = e;
            } catch (InterruptedException e) {
                a.breaker.releasePermission();
                Thread.currentThread().interrupt();
                throw new ProviderException(settings.provider() + ": interrupted during " + a.describe(),
                        ErrorDetails.provider(settings.provider()));
            }
            Next next = x.finish(a, response, error);
            if (next.result != null) {
                return next.result;
            }
            if (next.failure != null) {
                throw next.failure;
            }
            sleep(next.pause);
        }
    }

    private void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(settings.provider() + ": interrupted while waiting to retry",
                    ErrorDetails.provider(settings.provider()));
        }
    }

    /**
     * Sends a call without blocking. Cancelling the returned future aborts the request in flight
     * (and any pending retry).
     *
     * @param call the call
     * @return the 2xx response, or a future failed with the mapped {@link OmpException}
     */
    public CompletableFuture<HttpResult> sendAsync(HttpCall call) {
        Exchange x = new Exchange(call);
        CompletableFuture<HttpResult> out = new CompletableFuture<>();
        AtomicReference<Future<?>> inFlight = new AtomicReference<>();
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                Future<?> f = inFlight.get();
                if (f != null) {
                    f.cancel(true);
                }
            }
        });
        stepAsync(x, out, inFlight);
        return out;
    }

    private void stepAsync(Exchange x, CompletableFuture<HttpResult> out, AtomicReference<Future<?>> inFlight) {
        if (out.isDone()) {
            return;
        }
        Duration permitWait;
        try {
            permitWait = x.reserveRatePermit();
        } catch (OmpException e) {
            out.completeExceptionally(e);
            return;
        }
        if (!permitWait.isZero()) {
            CompletableFuture<Void> d = sleeper.delay(permitWait);
            inFlight.set(d);
            d.whenComplete((v, e) -> sendAsyncAttempt(x, out, inFlight));
        } else {
            sendAsyncAttempt(x, out, inFlight);
        }
    }

    private void sendAsyncAttempt(Exchange x, CompletableFuture<HttpResult> out, AtomicReference<Future<?>> inFlight) {
        if (out.isDone()) {
            return;
        }
        Attempt a;
        try {
            a = x.start();
        } catch (OmpException e) {
            out.completeExceptionally(e);
            return;
        }
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(a.request, HttpResponse.BodyHandlers.ofByteArray());
        inFlight.set(f);
        if (out.isCancelled()) {
            f.cancel(true);
        }
        f.whenComplete((response, err) -> {
            Throwable error = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (out.isDone() || error instanceof CancellationException) {
                a.breaker.releasePermission();
                return;
            }
            Next next;
            try {
                next = x.finish(a, response, error);
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
                return;
            }
            if (next.result != null) {
                out.complete(next.result);
            } else if (next.failure != null) {
                out.completeExceptionally(next.failure);
            } else {
                CompletableFuture<Void> d = sleeper.delay(next.pause);
                inFlight.set(d);
                d.whenComplete((v, e) -> stepAsync(x, out, inFlight));
            }
        });
    }

    /** Logs a transition of the breaker's state since {@code before}. */
    private void logged(CircuitBreaker cb, CircuitBreaker.State before) {
        CircuitBreaker.State now = cb.getState();
        if (now != before) {
            LOG.warn("{}: circuit for {} {} -> {}", settings.provider(),
                    cb.getName().substring(cb.getName().indexOf('@') + 1), before, now);
        }
    }

    private CircuitBreaker breaker(URI uri) {
        return breakers.computeIfAbsent(HttpSettings.origin(uri), origin -> {
            CircuitBreaker cb = CircuitBreaker.of(settings.provider() + "@" + origin, CircuitBreakerConfig.custom()
                    .failureRateThreshold(settings.circuitFailureRate())
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(settings.circuitWindow())
                    .minimumNumberOfCalls(settings.circuitMinCalls())
                    .waitDurationInOpenState(settings.circuitOpenFor())
                    .permittedNumberOfCallsInHalfOpenState(Math.min(3, settings.circuitMinCalls()))
                    .clock(clock)
                    .build());
            // No event consumer: with one, Resilience4j builds and dispatches an event for every
            // call (about 4% of an adapter get's CPU samples in a JFR profile against the
            // Supermemory simulator); transitions are logged by comparing states around each
            // breaker call instead.
            return cb;
        });
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons and its
        // connections close when idle. Nothing else is held.
    }

    @Override
    public String toString() {
        return "ResilientHttpClient[" + settings + "]";
    }

    // ------------------------------------------------------------------ one logical call

    /** One request sent: what was sent and the permission it holds. */
    private record Attempt(HttpRequest request, CircuitBreaker breaker, long startNanos, int number, URI uri,
                           String method) {
        String describe() {
            return method + " " + HttpSettings.origin(uri) + uri.getRawPath();
        }
    }

    /** What to do after an attempt: return, fail, or go again after a wait. */
    private record Next(HttpResult result, OmpException failure, Duration pause) {
    }

    /** The state of one logical call across attempts and redirects. */
    private final class Exchange {
        private final HttpCall call;
        private final Instant deadlineAt;
        private Set<URI> visited; // made on the first redirect
        private URI uri;
        private boolean redirected;
        private String method;
        private byte[] body;
        private int tries;
        private int requests;
        private int redirects;

        Exchange(HttpCall call) {
            this.call = Objects.requireNonNull(call);
            this.deadlineAt = clock.instant().plus(settings.deadline());
            String q = call.encodedQuery();
            this.uri = URI.create(settings.baseUrl() + call.path() + (q.isEmpty() ? "" : "?" + q));
            this.method = call.method();
            this.body = call.body();
        }

        private Duration remaining() {
            return Duration.between(clock.instant(), deadlineAt);
        }

        /** Takes a rate-limiter permit, returning how long to wait for it. */
        Duration reserveRatePermit() {
            if (limiter == null) {
                return Duration.ZERO;
            }
            long nanos = limiter.reservePermission();
            if (nanos < 0 || Duration.ofNanos(nanos).compareTo(remaining()) > 0) {
                throw new RateLimitedException(settings.provider() + ": client-side rate limit of "
                        + settings.rateLimitPerSecond() + " requests/s reached for " + describeCall(),
                        ErrorDetails.provider(settings.provider()));
            }
            return Duration.ofNanos(nanos);
        }

        /** Acquires the circuit's permission and builds the request, or fails without sending. */
        Attempt start() {
            Duration left = remaining();
            if (left.isZero() || left.isNegative()) {
                throw deadline(null);
            }
            CircuitBreaker cb = redirected ? breaker(uri) : baseBreaker;
            CircuitBreaker.State before = cb.getState();
            boolean permitted = cb.tryAcquirePermission();
            logged(cb, before);
            if (!permitted) {
                throw new ProviderUnavailableException(settings.provider() + ": circuit open for "
                        + HttpSettings.origin(uri) + " after repeated failures; not calling " + describeCall()
                        + " (retry after the cool-down of " + settings.circuitOpenFor().toSeconds() + " s)",
                        new ErrorDetails(settings.provider(), call.requestId(), null, null));
            }
            Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
            HttpRequest.Builder rb = redirected
                    ? fixedHeaders(HttpRequest.newBuilder(), uri, HttpSettings.origin(uri).equals(baseOrigin))
                    : baseTemplate.copy();
            rb.uri(uri).timeout(timeout);
            if (call.requestId() != null) {
                rb.header("X-Request-Id", call.requestId());
            }
            call.headers().forEach(rb::header);
            if (body != null) {
                rb.header("Content-Type", "application/json");
                rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            requests++;
            return new Attempt(rb.build(), cb, System.nanoTime(), requests, uri, method);
        }

        /** Records the outcome in the circuit and decides what comes next. */
        Next finish(Attempt a, HttpResponse<byte[]> response, Throwable error) {
            long took = System.nanoTime() - a.startNanos;
            OmpException failure;
            boolean retryable;
            Duration wait;
            CircuitBreaker.State before = a.breaker.getState();
            if (error != null) {
                a.breaker.onError(took, TimeUnit.NANOSECONDS, error);
                logged(a.breaker, before);
                log(a, "failed: " + error.getClass().getSimpleName(), took);
                failure = HttpErrors.fromTransport(settings.provider(), a.describe(), error, secrets);
                if (error instanceof java.net.http.HttpTimeoutException && (remaining().isNegative() || remaining().isZero())) {
                    failure = deadline(failure);
                }
                retryable = call.idempotent() || HttpErrors.notSent(error);
                wait = backoff();
            } else {
                int status = response.statusCode();
                if (status >= 500 || status == 408) {
                    a.breaker.onError(took, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
                } else {
                    a.breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                }
                logged(a.breaker, before);
                log(a, status, took);
                if (status >= 200 && status < 300) {
                    byte[] b = response.body() == null ? new byte[0] : response.body();
                    return new Next(new HttpResult(status, response.headers(), b, requests, settings.provider(),
                            describeCall()), null, null);
                }
                if (REDIRECTS.contains(status) && response.headers().firstValue("Location").isPresent()) {
                    return redirect(a, status, response.headers().firstValue("Location").get());
                }
                OmpException standard = HttpErrors.fromResponse(settings.provider(), describeCall(), status,
                        response.headers(), response.body(), clock, secrets);
                Optional<OmpException> classified = classifier.classify(status, response.headers(),
                        response.body() == null ? new byte[0] : response.body(), standard);
                failure = classified.orElse(standard);
                retryable = call.idempotent() && (classified.isPresent() ? failure.isRetryable()
                        : RETRY_STATUSES.contains(status));
                wait = failure.retryAfter().orElseGet(this::backoff);
            }
            tries++;
            if (!retryable || tries >= settings.maxAttempts()) {
                return new Next(null, failure, null);
            }
            if (wait.compareTo(remaining()) >= 0) {
                LOG.debug("{}: not retrying {}: a wait of {} ms would pass the deadline",
                        settings.provider(), describeCall(), wait.toMillis());
                return new Next(null, failure, null);
            }
            LOG.info("{}: retrying {} in {} ms (attempt {} of {}: {})",
                    settings.provider(), describeCall(), wait.toMillis(), tries + 1, settings.maxAttempts(),
                    failure.code());
            return new Next(null, null, wait);
        }

        private Next redirect(Attempt a, int status, String location) {
            URI target;
            try {
                target = uri.resolve(location.trim());
            } catch (IllegalArgumentException e) {
                return new Next(null, new ProviderException(settings.provider() + ": " + describeCall()
                        + " redirected to an invalid location", ErrorDetails.provider(settings.provider())), null);
            }
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
                return new Next(null, new ProviderException(settings.provider() + ": " + describeCall()
                        + " redirected to a non-HTTP location", ErrorDetails.provider(settings.provider())), null);
            }
            if (visited == null) {
                visited = new HashSet<>();
                visited.add(uri);
            }
            if (!visited.add(target)) {
                return new Next(null, new ProviderException(settings.provider() + ": redirect loop refused: "
                        + describeCall() + " led back to " + HttpSettings.origin(target) + target.getRawPath(),
                        ErrorDetails.provider(settings.provider())), null);
            }
            if (++redirects > settings.maxRedirects()) {
                return new Next(null, new ProviderException(settings.provider() + ": " + describeCall()
                        + " redirected more than " + settings.maxRedirects() + " times",
                        ErrorDetails.provider(settings.provider())), null);
            }
            if (status == 303 || (status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD")) {
                method = "GET";
                body = null;
            }
            LOG.debug("{}: {} redirected ({}) to {}{}", settings.provider(),
                    a.describe(), status, HttpSettings.origin(target), target.getRawPath());
            uri = target;
            redirected = true;
            return new Next(null, null, Duration.ZERO);
        }

        private Duration backoff() {
            double base = settings.backoffBase().toNanos() * Math.pow(2, tries);
            double capped = Math.min(base, settings.backoffMax().toNanos());
            // "Equal jitter": half fixed, half random, so waits never collapse to zero.
            return Duration.ofNanos((long) (capped / 2 + capped / 2 * jitter.getAsDouble()));
        }

        private OmpException deadline(OmpException last) {
            String msg = settings.provider() + ": " + describeCall() + " did not complete within the deadline of "
                    + settings.deadline().toMillis() + " ms" + (requests > 0 ? " (" + requests + " request(s) sent)" : "");
            return new ProviderUnavailableException(msg, new ErrorDetails(settings.provider(), call.requestId(), null,
                    last));
        }

        private String describeCall() {
            return call.method() + " " + call.path();
        }

        private void log(Attempt a, Object outcome, long nanos) {
            if (!LOG.isDebugEnabled()) {
                return; // the arguments cost more than the check
            }
            LOG.debug("{}: {} -> {} in {} ms (request {}, id {})", settings.provider(),
                    a.describe(), outcome instanceof Integer ? "HTTP " + outcome : outcome, nanos / 1_000_000, a.number, call.requestId());
        }
    }

    /** Builder for {@link ResilientHttpClient}. */
    public static final class Builder {
        private final HttpSettings settings;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private DoubleSupplier jitter = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        private ErrorClassifier classifier = ErrorClassifier.STANDARD;

        private Builder(HttpSettings settings) {
            this.settings = Objects.requireNonNull(settings);
        }

        /** @param v the clock for deadlines, Retry-After dates and the circuit's cool-down @return this */
        public Builder clock(Clock v) { this.clock = Objects.requireNonNull(v); return this; }

        /** @param v waits between retries @return this */
        public Builder sleeper(Sleeper v) { this.sleeper = Objects.requireNonNull(v); return this; }

        /** @param v random numbers in [0,1) for jitter @return this */
        public Builder jitter(DoubleSupplier v) { this.jitter = Objects.requireNonNull(v); return this; }

        /** @param v the vendor's reading of its error answers @return this */
        public Builder errors(ErrorClassifier v) { this.classifier = Objects.requireNonNull(v); return this; }

        /** @return the client */
        public ResilientHttpClient build() {
            return new ResilientHttpClient(this);
        }
    }
}
