package blog.openmem.server;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Starting servers on random ports and talking to them over real HTTP. */
final class ServerTestSupport {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ServerTestSupport() {
    }

    static String pgUrl() {
        String env = System.getenv("OMP_TEST_POSTGRES_URL");
        return env != null && !env.isBlank() ? env : "postgres://postgres@127.0.0.1:5432/omp_test";
    }

    static OmpServer start(Path keys, String... extra) {
        Map<String, String> env = new HashMap<>();
        String[] base = {"--url", pgUrl(), "--port", "0", "--embedder", "hash"};
        String[] args = new String[base.length + extra.length + (keys == null ? 0 : 2)];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        if (keys != null) {
            args[args.length - 2] = "--api-keys-file";
            args[args.length - 1] = keys.toString();
        }
        return OmpServer.start(ServerConfig.parse(args, env), null);
    }

    static String base(OmpServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    /** A response: status, parsed JSON (or null), the X-Request-Id header, the raw body. */
    record Resp(int status, JsonNode json, String requestId, String raw) {
    }

    static Resp send(OmpServer s, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(s) + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), parse(r.body()), r.headers().firstValue("X-Request-Id").orElse(null), r.body());
    }

    static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return OmpJson.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends raw bytes on a socket and returns the raw response (status line, headers, body). */
    static String raw(OmpServer s, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException writeFailed) {
                // The server may answer and close before the whole request is written.
            }
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            return new String(all, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
            return "";
        }
    }

    static int rawStatus(String response) {
        return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
    }

    static JsonNode rawJson(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? null : parse(response.substring(i + 4));
    }
}
