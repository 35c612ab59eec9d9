package blog.openmem.server;

import blog.openmem.core.RequestIds;
import blog.openmem.spi.error.ErrorCode;
import blog.openmem.spi.error.ErrorEnvelope;
import blog.openmem.spi.json.OmpJson;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (malformed request lines, headers with
 * CR/LF, ambiguous URIs, oversized headers): the same JSON envelope, never an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Where the access-log line of each such answer goes. */
    interface AccessLog {
        void line(String method, String path, int status, float ms, String requestId);
    }

    private final AccessLog log;

    JsonErrorHandler(AccessLog log) {
        this.log = log;
    }

    /**
     * Statuses keep their HTTP meaning (400 malformed, 408, 413, 414 URI too long, 431 headers too
     * large); the code is {@code payload_too_large} for 413, {@code not_found} for 404,
     * {@code internal_error} for 5xx and {@code invalid_request} for the rest (README, server section).
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 400 : response.getStatus();
        ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : status == 413 ? ErrorCode.PAYLOAD_TOO_LARGE
                : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        String message = switch (status) {
            case 408 -> "request timed out";
            case 413 -> "body: larger than the limit";
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            default -> code == ErrorCode.INTERNAL_ERROR ? "internal server error" : "malformed HTTP request";
        };
        String rid = RequestIds.next();
        String path;
        try {
            path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        } catch (RuntimeException e) {
            path = null;
        }
        log.line(request.getMethod() == null ? "-" : request.getMethod(), path, status,
                (System.nanoTime() - request.getBeginNanoTime()) / 1_000_000f, rid);
        byte[] body = OmpJson.writeBytes(new ErrorEnvelope(new ErrorEnvelope.Body(code.code(), message, code.type(),
                null, rid)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("X-Request-Id", rid);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
