package blog.openmem.core.http;

import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.core.type.TypeReference;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) response.
 *
 * @param status   the status code
 * @param headers  the response headers
 * @param body     the body bytes (empty, never null)
 * @param attempts how many requests the call took, redirects included
 * @param provider the provider id, for error messages
 * @param call     what was called ({@code METHOD /path}), for error messages
 */
public record HttpResult(int status, HttpHeaders headers, byte[] body, int attempts, String provider, String call) {

    /**
     * @param type the record type
     * @param <T>  the type
     * @return the body read as JSON
     * @throws blog.openmem.spi.error.ProviderException when the body is not the JSON expected
     */
    public <T> T json(Class<T> type) {
        return HttpErrors.parseBody(this, b -> OmpJson.reader().forType(type).readValue(b), type.getSimpleName());
    }

    /**
     * @param type the type
     * @param <T>  the type
     * @return the body read as JSON
     */
    public <T> T json(TypeReference<T> type) {
        return HttpErrors.parseBody(this, b -> OmpJson.reader().forType(type).readValue(b), type.getType().getTypeName());
    }

    /**
     * Reads the body with a streaming JSON parser: for large answers whose objects the caller maps
     * directly, without building a tree first.
     *
     * @param reader   reads the value from a parser positioned before the first token
     * @param expected what the body should be, for the error message
     * @param <T>      the type
     * @return what the reader returned
     * @throws blog.openmem.spi.error.ProviderException when the body is not the JSON expected
     */
    public <T> T stream(JsonReader<T> reader, String expected) {
        return HttpErrors.parseBody(this, b -> {
            try (com.fasterxml.jackson.core.JsonParser p = OmpJson.reader().createParser(b)) {
                return reader.read(p);
            }
        }, expected);
    }

    /**
     * Reads a value from a streaming JSON parser.
     *
     * @param <T> the value's type
     */
    @FunctionalInterface
    public interface JsonReader<T> {
        /**
         * @param parser the parser, before the first token
         * @return the value read
         * @throws java.io.IOException when the JSON is malformed or not of the expected shape
         */
        T read(com.fasterxml.jackson.core.JsonParser parser) throws java.io.IOException;
    }

    /**
     * @param name a header name
     * @return its first value
     */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public String toString() {
        return "HttpResult[" + status + ", " + body.length + " bytes, " + attempts + " attempt(s)]";
    }
}
