package blog.openmem.core.http;

import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.Redaction;
import blog.openmem.spi.error.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a {@link ResilientHttpClient} talks to one base URL: timeouts, retries, circuit breaker,
 * rate limit, redirects and the credential headers. Credential headers are secrets: they are
 * sent, never printed ({@link #toString()} lists their names only).
 *
 * @param provider           the provider id named in errors and logs, e.g. {@code passthrough}
 * @param baseUrl            the base URL requests are relative to (no user info, no query)
 * @param connectTimeout     TCP/TLS connect timeout
 * @param requestTimeout     time one attempt may take until the response headers arrive
 * @param deadline           time a whole call may take, retries and waits included
 * @param maxAttempts        attempts per call, the first included (1 = no retry)
 * @param backoffBase        wait before the second attempt; doubled each time, with jitter
 * @param backoffMax         longest computed wait ({@code Retry-After} may ask for more, up to the deadline)
 * @param circuitFailureRate failure percentage (1..100) over the window that opens the circuit
 * @param circuitMinCalls    calls in the window before the rate is judged
 * @param circuitWindow      calls in the sliding window
 * @param circuitOpenFor     how long an open circuit refuses calls before letting trial calls through
 * @param rateLimitPerSecond client-side limit of requests per second; 0 for none
 * @param maxRedirects       redirects followed per call (loops are always refused)
 * @param http2              prefer HTTP/2 (negotiated by ALPN on https; plain http stays HTTP/1.1)
 * @param credentials        headers that carry credentials (e.g. {@code Authorization}); secrets
 */
public record HttpSettings(String provider, URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                           Duration deadline, int maxAttempts, Duration backoffBase, Duration backoffMax,
                           int circuitFailureRate, int circuitMinCalls, int circuitWindow, Duration circuitOpenFor,
                           double rateLimitPerSecond, int maxRedirects, boolean http2,
                           Map<String, String> credentials) {

    /** Checks ranges so a bad setting fails at start with its name. */
    public HttpSettings {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new ConfigurationException(provider + ": base_url must be an http(s) URL with a host, got '"
                    + Redaction.url(baseUrl.toString()) + "'");
        }
        if (baseUrl.getRawUserInfo() != null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new ConfigurationException(provider + ": base_url must not carry credentials, a query or a fragment ("
                    + Redaction.url(baseUrl.toString()) + "); give the API key as a setting instead");
        }
        positive(provider, "connect_timeout", connectTimeout);
        positive(provider, "request_timeout", requestTimeout);
        positive(provider, "deadline", deadline);
        positive(provider, "backoff_base", backoffBase);
        positive(provider, "backoff_max", backoffMax);
        positive(provider, "circuit_open_for", circuitOpenFor);
        range(provider, "max_attempts", maxAttempts, 1, 20);
        range(provider, "circuit_failure_rate", circuitFailureRate, 1, 100);
        range(provider, "circuit_window", circuitWindow, 1, 10_000);
        range(provider, "circuit_min_calls", circuitMinCalls, 1, circuitWindow);
        range(provider, "max_redirects", maxRedirects, 0, 10);
        if (!(rateLimitPerSecond >= 0) || rateLimitPerSecond > 1_000_000) {
            throw new ConfigurationException(provider + ": rate_limit must be 0 (off) to 1000000 requests/s");
        }
        credentials = Map.copyOf(credentials == null ? Map.of() : credentials);
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        if (path.endsWith("/")) {
            baseUrl = URI.create(baseUrl.toString().substring(0, baseUrl.toString().length() - 1));
        }
    }

    private static void positive(String provider, String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigurationException(provider + ": " + name + " must be a positive duration");
        }
    }

    private static void range(String provider, String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new ConfigurationException(provider + ": " + name + " must be " + min + ".." + max + ", got " + v);
        }
    }

    /**
     * @param provider the provider id
     * @param baseUrl  the base URL
     * @return a builder with the defaults
     */
    public static Builder builder(String provider, String baseUrl) {
        return new Builder(provider, baseUrl);
    }

    /**
     * Reads the shared HTTP settings of a provider: {@code connect_timeout} (2s),
     * {@code request_timeout} (10s), {@code deadline} (30s), {@code max_attempts} (3),
     * {@code backoff_base} (200ms), {@code backoff_max} (5s), {@code circuit_failure_rate} (50),
     * {@code circuit_min_calls} (10), {@code circuit_window} (20), {@code circuit_open_for} (30s),
     * {@code rate_limit} (0 = off), {@code max_redirects} (3), {@code http2} (true).
     *
     * @param config  the provider configuration
     * @param baseUrl the base URL
     * @return a builder with those settings; credentials still to add
     */
    public static Builder from(ProviderConfig config, String baseUrl) {
        Builder b = new Builder(config.id(), baseUrl);
        b.connectTimeout = config.getDuration("connect_timeout", b.connectTimeout);
        b.requestTimeout = config.getDuration("request_timeout", b.requestTimeout);
        b.deadline = config.getDuration("deadline", b.deadline);
        b.maxAttempts = config.getInt("max_attempts", b.maxAttempts);
        b.backoffBase = config.getDuration("backoff_base", b.backoffBase);
        b.backoffMax = config.getDuration("backoff_max", b.backoffMax);
        b.circuitFailureRate = config.getInt("circuit_failure_rate", b.circuitFailureRate);
        b.circuitMinCalls = config.getInt("circuit_min_calls", b.circuitMinCalls);
        b.circuitWindow = config.getInt("circuit_window", b.circuitWindow);
        b.circuitOpenFor = config.getDuration("circuit_open_for", b.circuitOpenFor);
        String rate = config.get("rate_limit", "0");
        try {
            b.rateLimitPerSecond = Double.parseDouble(rate.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(config.id() + ": rate_limit must be a number of requests per second");
        }
        b.maxRedirects = config.getInt("max_redirects", b.maxRedirects);
        b.http2 = config.getBoolean("http2", b.http2);
        return b;
    }

    /** @return the scheme, host and port: the circuit breaker's key */
    public String origin() {
        return origin(baseUrl);
    }

    static String origin(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        credentials.keySet().forEach(k -> shown.put(k, "***"));
        return "HttpSettings[provider=" + provider + ", baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", deadline=" + deadline + ", maxAttempts=" + maxAttempts
                + ", backoff=" + backoffBase + ".." + backoffMax + ", circuit=" + circuitFailureRate + "% of "
                + circuitWindow + " (min " + circuitMinCalls + "), open " + circuitOpenFor + ", rateLimit="
                + rateLimitPerSecond + "/s, maxRedirects=" + maxRedirects + ", http2=" + http2 + ", credentials="
                + shown + "]";
    }

    /** Builder for {@link HttpSettings}. */
    public static final class Builder {
        private final String provider;
        private final String baseUrl;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration deadline = Duration.ofSeconds(30);
        private int maxAttempts = 3;
        private Duration backoffBase = Duration.ofMillis(200);
        private Duration backoffMax = Duration.ofSeconds(5);
        private int circuitFailureRate = 50;
        private int circuitMinCalls = 10;
        private int circuitWindow = 20;
        private Duration circuitOpenFor = Duration.ofSeconds(30);
        private double rateLimitPerSecond;
        private int maxRedirects = 3;
        private boolean http2 = true;
        private final Map<String, String> credentials = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        private Builder(String provider, String baseUrl) {
            this.provider = provider;
            this.baseUrl = baseUrl;
        }

        /** @param v connect timeout @return this */
        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        /** @param v per-attempt timeout @return this */
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        /** @param v overall deadline of a call @return this */
        public Builder deadline(Duration v) { this.deadline = v; return this; }
        /** @param v attempts per call, first included @return this */
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        /** @param v first backoff @return this */
        public Builder backoffBase(Duration v) { this.backoffBase = v; return this; }
        /** @param v longest computed backoff @return this */
        public Builder backoffMax(Duration v) { this.backoffMax = v; return this; }
        /** @param v failure percentage that opens the circuit @return this */
        public Builder circuitFailureRate(int v) { this.circuitFailureRate = v; return this; }
        /** @param v calls before the rate is judged @return this */
        public Builder circuitMinCalls(int v) { this.circuitMinCalls = v; return this; }
        /** @param v sliding window size in calls @return this */
        public Builder circuitWindow(int v) { this.circuitWindow = v; return this; }
        /** @param v how long an open circuit refuses calls @return this */
        public Builder circuitOpenFor(Duration v) { this.circuitOpenFor = v; return this; }
        /** @param v requests per second, 0 for no limit @return this */
        public Builder rateLimitPerSecond(double v) { this.rateLimitPerSecond = v; return this; }
        /** @param v redirects followed per call @return this */
        public Builder maxRedirects(int v) { this.maxRedirects = v; return this; }
        /** @param v prefer HTTP/2 @return this */
        public Builder http2(boolean v) { this.http2 = v; return this; }

        /**
         * @param name  a header carrying a credential, e.g. {@code Authorization}
         * @param value its value (a secret; never printed)
         * @return this
         */
        public Builder credential(String name, String value) {
            if (value != null && !value.isEmpty()) {
                credentials.put(name, value);
            }
            return this;
        }

        /** @return the settings */
        public HttpSettings build() {
            URI uri;
            try {
                uri = URI.create(baseUrl == null ? "" : baseUrl.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(provider + ": base_url is not a valid URL: '"
                        + Redaction.url(baseUrl) + "'");
            }
            return new HttpSettings(provider, uri, connectTimeout, requestTimeout, deadline, maxAttempts, backoffBase,
                    backoffMax, circuitFailureRate, circuitMinCalls, circuitWindow, circuitOpenFor, rateLimitPerSecond,
                    maxRedirects, http2, credentials);
        }
    }
}
