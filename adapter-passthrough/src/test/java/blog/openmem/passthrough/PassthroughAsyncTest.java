package blog.openmem.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.core.AsyncMemory;
import blog.openmem.core.Memory;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** AsyncMemory over passthrough takes the native path: no thread held, cancellation reaches the wire. */
class PassthroughAsyncTest {

    @Test
    void searchAndAddRunNativelyAndMapErrors() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getLoopbackAddress(), 0);
            server.enqueue(PassthroughWireTest.json(200, PassthroughWireTest.CAPS));
            server.enqueue(PassthroughWireTest.json(201, PassthroughWireTest.MEMORY));
            server.enqueue(PassthroughWireTest.json(200, "{\"results\":[{\"memory\":" + PassthroughWireTest.MEMORY
                    + ",\"score\":0.7}]}"));
            server.enqueue(PassthroughWireTest.json(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no route\","
                    + "\"type\":\"not_found\",\"request_id\":\"r\"}}"));
            try (AsyncMemory async = AsyncMemory.of(Memory.create("http://127.0.0.1:" + server.getPort()))) {
                assertEquals("a/b c", async.add(MemoryInput.of("u1", "likes tea")).get(5, TimeUnit.SECONDS).id());
                assertEquals(0.7, async.search(SearchQuery.builder("u1", "tea").build()).get(5, TimeUnit.SECONDS)
                        .get(0).score());
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> async.search(SearchQuery.builder("u1", "tea").build()).get(5, TimeUnit.SECONDS));
                assertInstanceOf(NotFoundException.class, e.getCause());
                ExecutionException bad = assertThrows(ExecutionException.class,
                        () -> async.search(SearchQuery.builder("u1", " ").build()).get(5, TimeUnit.SECONDS));
                assertInstanceOf(InvalidRequestException.class, bad.getCause(), "validated before any I/O");
                assertEquals(4, server.getRequestCount());
            }
        }
    }

    @Test
    void cancellingAnAsyncSearchAbortsTheRequest() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(10_000);
            CompletableFuture<Memory> client = CompletableFuture.supplyAsync(
                    () -> Memory.create("http://127.0.0.1:" + ss.getLocalPort()));
            byte[] caps = PassthroughWireTest.CAPS.getBytes(StandardCharsets.UTF_8);
            try (Socket probe = ss.accept()) {
                readRequest(probe.getInputStream());
                OutputStream out = probe.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + caps.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(caps);
                out.flush();
            }
            try (AsyncMemory async = AsyncMemory.of(client.get(10, TimeUnit.SECONDS))) {
                CompletableFuture<?> search = async.search(SearchQuery.builder("u1", "tea").build());
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(5000);
                    String request = readRequest(s.getInputStream());
                    assertTrue(request.startsWith("GET /memories/search?q=tea"), request);
                    assertTrue(search.cancel(true));
                    try {
                        assertEquals(-1, s.getInputStream().read(), "the client closed the connection");
                    } catch (java.net.SocketException reset) {
                        // a reset is the request aborted too
                    }
                }
                assertTrue(search.isCancelled());
            }
        }
    }

    private static String readRequest(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }
}
