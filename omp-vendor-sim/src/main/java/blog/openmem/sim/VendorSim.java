package blog.openmem.sim;

import blog.openmem.core.Memory;
import blog.openmem.core.MemoryBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A stateful vendor simulator on MockWebServer: subclasses answer requests from their state;
 * this class checks each exchange against the vendor's OpenAPI file, counts requests and plays
 * injected faults. Thread-safe: the state is guarded by this object's monitor.
 */
public abstract class VendorSim extends Dispatcher implements AutoCloseable {
    /** JSON for bodies. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiContract contract;
    private final MockWebServer server = new MockWebServer();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean checking = true;
    private final java.util.List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * @param contract the vendor's OpenAPI file
     */
    protected VendorSim(OpenApiContract contract) {
        this.contract = contract;
        server.setDispatcher(this);
        server.setServerSocketFactory(new NoDelayServerSockets());
    }

    /**
     * Answers without Nagle's algorithm, as real API servers do: MockWebServer writes a response's
     * head and body separately, and with Nagle the second write waits for the client's delayed ACK
     * (tens of milliseconds per request), slower than any vendor answers.
     */
    private static final class NoDelayServerSockets extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket s = super.accept();
                    s.setTcpNoDelay(true);
                    return s;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("bound by MockWebServer");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("bound by MockWebServer");
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address)
                throws IOException {
            throw new UnsupportedOperationException("bound by MockWebServer");
        }
    }

    /**
     * Starts listening on a free loopback port.
     *
     * @return this
     */
    public VendorSim start() {
        try {
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the simulator", e);
        }
        return this;
    }

    /** @return the base URL, without a trailing slash */
    public String url() {
        String u = server.url("/").toString();
        return u.substring(0, u.length() - 1);
    }

    /** @return requests received so far (faulty answers included) */
    public int requestCount() {
        return requests.get();
    }

    /**
     * @param f faults for the next answers, in order
     */
    public synchronized void inject(Fault... f) {
        faults.addAll(java.util.List.of(f));
    }

    /**
     * Benchmarks only: validation costs the simulator far more than answering, and would hide the
     * client's own time. Tests keep it on.
     *
     * @param on whether to check exchanges against the OpenAPI file
     * @return this
     */
    public VendorSim checking(boolean on) {
        this.checking = on;
        return this;
    }

    /** @return the OpenAPI violations so far */
    public java.util.List<String> violations() {
        return contract.violations();
    }

    /** @throws AssertionError when a request or answer broke the OpenAPI file, or the simulator failed */
    public void assertClean() {
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
        contract.assertClean();
    }

    /** Checks every exchange against the OpenAPI file, then stops the simulator (a test's clean-up). */
    public void closeChecked() {
        try {
            assertClean();
        } finally {
            close();
        }
    }

    /**
     * A client of {@code provider} on this simulator, with {@code apiKey} and a retry backoff of 10 to
     * 20 ms so that tests of retries do not wait long.
     *
     * @param provider the adapter's provider id
     * @param apiKey   the key to send
     * @param settings further settings, as key, value pairs
     * @return the client
     */
    public Memory client(String provider, String apiKey, String... settings) {
        MemoryBuilder b = Memory.builder().config(provider).setting("base_url", url()).setting("api_key", apiKey)
                .setting("backoff_base", "10ms").setting("backoff_max", "20ms");
        for (int i = 0; i < settings.length; i += 2) {
            b.setting(settings[i], settings[i + 1]);
        }
        return b.build();
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Takes one request off MockWebServer's queue of recorded requests. The server queues every
     * request for {@code takeRequest}, which a simulator never calls (its own count and checks stand
     * in for it): left alone, the queue holds every request of a run — millions in a benchmark, whose
     * simulator then spends ever more time in garbage collection. One taken per request received
     * keeps it no longer than the requests in flight, whether the server queues before dispatching
     * or after.
     */
    private void forgetRecorded() {
        try {
            server.takeRequest(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public final MockResponse dispatch(RecordedRequest recorded) {
        requests.incrementAndGet();
        forgetRecorded();
        SimRequest req = request(recorded);
        Fault fault;
        synchronized (this) {
            fault = faults.poll();
        }
        if (fault != null && fault.kind() != Fault.Kind.SLOW) {
            if (checking) {
                contract.check(req, null, null);
            }
            return fault.response();
        }
        Reply reply;
        try {
            synchronized (this) {
                reply = handle(req);
            }
        } catch (RuntimeException e) {
            // A simulator bug must fail the test, not hang the client waiting for an answer.
            failures.add(req.method() + " " + req.path() + ": simulator failed: " + e);
            return new MockResponse.Builder().code(500).body("{\"detail\":\"simulator failure\"}").build();
        }
        String body;
        try {
            body = reply.body() == null ? null : JSON.writeValueAsString(reply.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (checking) {
            contract.check(req, reply.status(), body);
        }
        MockResponse.Builder b = new MockResponse.Builder().code(reply.status());
        if (body != null) {
            b.body(body).setHeader("Content-Type", "application/json");
        }
        reply.headers().forEach(b::setHeader);
        if (fault != null) {
            b.headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
        return b.build();
    }

    /**
     * @param req the request
     * @return the answer (under this object's monitor)
     */
    protected abstract Reply handle(SimRequest req);

    private static SimRequest request(RecordedRequest r) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String name : r.getUrl().queryParameterNames()) {
            query.put(name, r.getUrl().queryParameter(name));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : r.getHeaders().names()) {
            headers.put(name, r.getHeaders().get(name));
        }
        String raw = r.getBody() == null || r.getBody().size() == 0 ? null : r.getBody().string(StandardCharsets.UTF_8);
        JsonNode body = null;
        if (raw != null) {
            try {
                body = JSON.readTree(raw);
            } catch (IOException notJson) {
                body = null;
            }
        }
        String path = URLDecoder.decode(r.getUrl().encodedPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        return new SimRequest(r.getMethod(), path, query, headers, raw, body);
    }
}
