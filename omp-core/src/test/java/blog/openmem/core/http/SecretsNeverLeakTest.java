package blog.openmem.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.OmpException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the client through every path that logs or raises (success, retries, vendor errors that
 * echo the key, resets, redirects, an open circuit, bad settings) with every log level on, then
 * greps everything captured for the secrets.
 */
class SecretsNeverLeakTest {
    static final String BEARER = "sk-live-SECRET-7f3a9c";
    static final String API_KEY = "xk-SECRET-b81d44";
    static final String URL_PASSWORD = "pw-SECRET-c0ffee";

    final List<String> captured = new CopyOnWriteArrayList<>();
    final Logger jul = Logger.getLogger("blog.openmem.core.http");
    Handler handler;
    Level before;
    MockWebServer server;

    @BeforeEach
    void capture() throws Exception {
        before = jul.getLevel();
        jul.setLevel(Level.ALL);
        SimpleFormatter fmt = new SimpleFormatter();
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                captured.add(fmt.format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        jul.addHandler(handler);
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void release() {
        jul.removeHandler(handler);
        jul.setLevel(before);
        server.close();
    }

    @Test
    void noSecretInLogsMessagesOrToString() throws Exception {
        HttpSettings settings = HttpSettings.builder("vendor", "http://127.0.0.1:" + server.getPort())
                .credential("Authorization", "Bearer " + BEARER).credential("X-API-Key", API_KEY)
                .maxAttempts(2).circuitWindow(10).circuitMinCalls(8).build();
        ResilientHttpClient c = ResilientHttpClient.builder(settings).sleeper(new ResilientHttpClientTest.RecordingSleeper())
                .build();
        List<Throwable> errors = new ArrayList<>();

        server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
        c.send(HttpCall.of("GET", "/ok").requestId("rid-1").build());
        // a vendor echoing the key back in its error body, retried once
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().code(503)
                    .body("{\"message\":\"key Bearer " + BEARER + " / " + API_KEY + " overloaded\"}").build());
        }
        errors.add(assertThrows(OmpException.class, () -> c.send(HttpCall.of("GET", "/echo").build())));
        server.enqueue(new MockResponse.Builder().code(401)
                .body("{\"error\":{\"code\":\"unauthorized\",\"message\":\"bad key " + API_KEY + "\",\"type\":\"auth\","
                        + "\"request_id\":\"r\"}}").build());
        errors.add(assertThrows(OmpException.class, () -> c.send(HttpCall.of("GET", "/omp").build())));
        server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/next?api_key=" + API_KEY).build());
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().code(502).body("upstream said: X-API-Key=" + API_KEY).build());
        }
        errors.add(assertThrows(OmpException.class, () -> c.send(HttpCall.of("GET", "/redirect").build())));
        server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
        errors.add(assertThrows(OmpException.class, () -> c.send(HttpCall.of("GET", "/more").build())));
        // 5 failures in 8 calls: the circuit is open, and the async path fails without calling
        assertEquals("OPEN", c.circuitState());
        CompletableFuture<HttpResult> f = c.sendAsync(HttpCall.of("GET", "/async").build());
        ExecutionException ee = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        errors.add(ee.getCause());
        assertEquals("provider_unavailable", ((OmpException) ee.getCause()).code());
        // bad settings name the problem without the password
        errors.add(assertThrows(ConfigurationException.class,
                () -> HttpSettings.builder("vendor", "https://user:" + URL_PASSWORD + "@api.example.com").build()));
        errors.add(assertThrows(ConfigurationException.class,
                () -> HttpSettings.builder("vendor", "https://api.example.com/?api_key=" + URL_PASSWORD).build()));

        // The secrets really were sent.
        assertEquals("Bearer " + BEARER, server.takeRequest().getHeaders().get("Authorization"));

        StringBuilder all = new StringBuilder();
        captured.forEach(all::append);
        for (Throwable t : errors) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            all.append(t.getMessage()).append('\n').append(t).append('\n').append(sw);
        }
        all.append(settings).append(c).append(HttpCall.of("GET", "/x").header("X", "y").build());
        assertFalse(captured.isEmpty(), "the client logs its attempts at debug level");
        assertTrue(all.toString().contains("GET /echo"), "messages still say what failed");
        for (String secret : List.of(BEARER, API_KEY, URL_PASSWORD, "SECRET")) {
            assertFalse(all.toString().contains(secret), () -> "leaked " + secret + " in:\n" + all);
        }
        assertTrue(Duration.ofSeconds(30).equals(settings.circuitOpenFor()));
    }
}
