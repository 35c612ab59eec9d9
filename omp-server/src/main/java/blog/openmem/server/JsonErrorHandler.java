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
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 400 : response.getStatus();
        ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : status == 413 ? ErrorCode.PAYLOAD_TOO_LARGE
                : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        String message = code == ErrorCode.INTERNAL_ERROR ? "internal server error" : "malformed HTTP request";
        String rid = RequestIds.next();
        byte[] body = OmpJson.writeBytes(new ErrorEnvelope(new ErrorEnvelope.Body(code.code(), message, code.type(),
                null, rid)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("X-Request-Id", rid);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
