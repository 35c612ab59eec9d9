package blog.openmem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blog.openmem.server.ServerTestSupport.Resp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A few hundred connections trickling request bodies (a byte a second) on loopback: the server
 * keeps answering a normal client promptly, and cuts the trickling connections at the body
 * deadline. Bounded: 300 connections, about 12 s, then everything is closed.
 */
class SlowClientTest {
    static final int TRICKLERS = 300;

    @Test
    void tricklingBodiesNeitherStarveOtherClientsNorStayOpen() throws Exception {
        try (OmpServer server = ServerTestSupport.start(null, "--body-timeout-ms", "3000")) {
            String user = "u-" + UUID.randomUUID();
            assertEquals(201, ServerTestSupport.send(server, "POST", "/memories", "{\"content\":\"likes trains\","
                    + "\"user_id\":\"" + user + "\"}").status());
            String search = "{\"query\":\"trains\",\"user_id\":\"" + user + "\"}";
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < TRICKLERS; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    s.getOutputStream().write(("POST /memories/search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                List<Long> latencies = new ArrayList<>();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                long nextTrickle = 0;
                int open = TRICKLERS;
                while (System.nanoTime() < end) {
                    if (System.nanoTime() >= nextTrickle) {
                        open = trickle(slow);
                        nextTrickle = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    }
                    long start = System.nanoTime();
                    Resp r = ServerTestSupport.send(server, "POST", "/memories/search", search);
                    Resp health = ServerTestSupport.send(server, "GET", "/healthz", null);
                    latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    assertEquals(200, r.status(), r.raw());
                    assertEquals(1, r.json().get("results").size());
                    assertEquals(200, health.status());
                    Thread.sleep(50);
                }
                Collections.sort(latencies);
                long median = latencies.get(latencies.size() / 2);
                long max = latencies.get(latencies.size() - 1);
                // A search and a health check per round: milliseconds when nothing waits on a thread.
                assertTrue(median < 250 && max < 2000, "normal client: median " + median + " ms, max " + max
                        + " ms over " + latencies.size() + " rounds");
                assertTrue(latencies.size() >= 20, "rounds: " + latencies.size());
                // Past the 3 s body deadline every trickling connection has been cut.
                assertEquals(0, open, "trickling connections still open after the deadline");
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    /** Sends one more byte on each connection; returns how many the server has not closed yet. */
    static int trickle(List<Socket> sockets) {
        int open = 0;
        for (Socket s : sockets) {
            if (s.isClosed()) {
                continue;
            }
            try {
                OutputStream out = s.getOutputStream();
                out.write(' ');
                out.flush();
                s.setSoTimeout(1);
                try {
                    // End of stream, or an answer: either way the server no longer waits on it.
                    s.getInputStream().read();
                    s.close();
                    continue;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // No answer and no close: the server is still waiting for the body.
                }
                open++;
            } catch (IOException closedByServer) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Already gone.
                }
            }
        }
        return open;
    }
}
