package blog.openmem.core.http;

import blog.openmem.spi.error.ErrorCode;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ErrorEnvelope;
import blog.openmem.spi.error.OmpErrors;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * The one mapping from an HTTP failure to the exception hierarchy (CONTRACT §9, §11): an OMP
 * envelope keeps its code (unknown codes become provider errors keeping the code); any other body
 * (a vendor's {@code {"detail"}}, {@code {"message"}}, {@code {"error"}}) maps by status through
 * {@link ErrorCode#forStatus}; transport failures map to {@code provider_unavailable} when the
 * server could not be reached or did not answer in time, else {@code provider_error}.
 */
public final class HttpErrors {
    private static final int MAX_SNIPPET = 200;

    private HttpErrors() {
    }

    /**
     * @param provider the provider id
     * @param call     {@code METHOD /path}
     * @param status   the HTTP status
     * @param headers  the response headers
     * @param body     the response body
     * @param clock    for {@code Retry-After} dates
     * @param secrets  values to scrub from messages
     * @return the exception for this response
     */
    public static OmpException fromResponse(String provider, String call, int status, HttpHeaders headers, byte[] body,
                                            Clock clock, Collection<String> secrets) {
        Duration retryAfter = RetryAfter.parse(headers.firstValue("Retry-After").orElse(null), clock).orElse(null);
        JsonNode json = tryJson(body);
        if (json != null && json.path("error").isObject() && json.path("error").path("code").isTextual()) {
            JsonNode e = json.path("error");
            ErrorEnvelope scrubbed = new ErrorEnvelope(new ErrorEnvelope.Body(e.path("code").textValue(),
                    scrub(text(e, "message"), secrets), text(e, "type"), text(e, "provider"), text(e, "request_id")));
            return OmpErrors.fromResponse(status, scrubbed, retryAfter, provider, null);
        }
        String detail = json != null ? vendorMessage(json) : null;
        if (detail == null) {
            detail = snippet(body);
        }
        String message = provider + ": " + call + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        return OmpErrors.fromResponse(status, null, retryAfter, provider, scrub(message, secrets));
    }

    /**
     * @param provider the provider id
     * @param call     {@code METHOD origin/path}
     * @param error    the transport failure
     * @param secrets  values to scrub from messages
     * @return the exception
     */
    public static OmpException fromTransport(String provider, String call, Throwable error, Collection<String> secrets) {
        String reason = error.getMessage() == null || error.getMessage().isBlank()
                ? error.getClass().getSimpleName() : error.getMessage();
        // The cause is kept for stack traces; its message names no URL query and no header.
        ErrorDetails d = new ErrorDetails(provider, null, null, error);
        if (error instanceof HttpConnectTimeoutException || error instanceof ConnectException) {
            return new ProviderUnavailableException(scrub(provider + ": cannot connect for " + call + " (" + reason
                    + ")", secrets), d);
        }
        if (error instanceof HttpTimeoutException) {
            return new ProviderUnavailableException(scrub(provider + ": no answer to " + call + " in time (" + reason
                    + ")", secrets), d);
        }
        return new ProviderException(scrub(provider + ": " + call + " failed: " + reason, secrets), d);
    }

    /**
     * @param error a transport failure
     * @return true when the request cannot have reached the server (safe to retry any method)
     */
    static boolean notSent(Throwable error) {
        return error instanceof HttpConnectTimeoutException || error instanceof ConnectException;
    }

    /** Reads a 2xx body; a body that is not the JSON expected is the upstream's fault (502). */
    static <T> T parseBody(HttpResult r, BodyReader<T> reader, String expected) {
        try {
            return reader.read(r.body());
        } catch (IOException | RuntimeException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            throw new ProviderException(r.provider() + ": " + r.call() + " answered " + r.status()
                    + " with a body that is not a valid " + expected + " (" + shorten(why) + ")",
                    ErrorDetails.provider(r.provider()));
        }
    }

    /** Parses bytes. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(byte[] body) throws IOException;
    }

    private static JsonNode tryJson(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return OmpJson.reader().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** The message of the usual vendor error shapes. */
    private static String vendorMessage(JsonNode json) {
        for (String field : new String[] {"message", "detail", "error", "error_description", "msg"}) {
            JsonNode v = json.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isTextual()) {
                return shorten(v.textValue());
            }
            if (v.isObject() && v.path("message").isTextual()) {
                return shorten(v.path("message").textValue());
            }
            if (v.isArray() || v.isObject()) {
                return shorten(v.toString());
            }
        }
        return null;
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, MAX_SNIPPET * 4), StandardCharsets.UTF_8);
        return shorten(s);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return clean.length() > MAX_SNIPPET ? clean.substring(0, MAX_SNIPPET) + "…" : clean;
    }

    /**
     * @param text    a message
     * @param secrets values that must not appear
     * @return the message with every secret replaced by {@code ***}
     */
    static String scrub(String text, Collection<String> secrets) {
        if (text == null || secrets == null) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) {
                out = out.replace(s, "***");
            }
        }
        return blog.openmem.spi.Redaction.url(out);
    }
}
