package blog.openmem.core.embed;

import blog.openmem.core.http.RetryAfter;
import blog.openmem.core.http.Sleeper;
import blog.openmem.spi.Redaction;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.OmpErrors;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Embeddings from any OpenAI-compatible {@code POST <base_url>/embeddings} endpoint (OpenAI,
 * Azure-style proxies, Ollama, vLLM, LM Studio…) through {@code java.net.http}. Texts are sent
 * in batches; 408, 429, 5xx and I/O errors are retried with exponential backoff and jitter,
 * honouring {@code Retry-After}. The API key never appears in messages or {@link #toString()}.
 */
public final class OpenAiEmbedder implements Embedder {
    private static final Duration BASE_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private final HttpClient http;
    private final URI endpoint;
    private final String model;
    private final Integer dimensions;
    private final String apiKey;
    private final int batchSize;
    private final int maxRetries;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final Clock clock;
    private volatile int knownDimension;

    /**
     * @param settings   the endpoint, model and limits
     * @param apiKey     the key, or null for endpoints that need none
     * @param sleeper    waits between retries
     * @param clock      for {@code Retry-After} dates
     */
    OpenAiEmbedder(Settings settings, String apiKey, Sleeper sleeper, Clock clock) {
        String base = settings.baseUrl().endsWith("/") ? settings.baseUrl().substring(0, settings.baseUrl().length() - 1)
                : settings.baseUrl();
        this.endpoint = URI.create(base + "/embeddings");
        this.model = settings.model();
        this.dimensions = settings.dimensions();
        this.apiKey = apiKey;
        this.batchSize = settings.batchSize();
        this.maxRetries = settings.maxRetries();
        this.timeout = settings.timeout();
        this.sleeper = sleeper;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.knownDimension = dimensions != null ? dimensions : defaultDimension(model);
    }

    /**
     * The embedder's settings.
     *
     * @param baseUrl    base URL, e.g. {@code https://api.openai.com/v1}
     * @param model      model name
     * @param dimensions requested dimensions, or null for the model's own
     * @param batchSize  texts per request
     * @param maxRetries retries after the first attempt
     * @param timeout    per-request timeout
     */
    public record Settings(String baseUrl, String model, Integer dimensions, int batchSize, int maxRetries,
                           Duration timeout) {
    }

    private static int defaultDimension(String model) {
        return switch (model) {
            case "text-embedding-3-small", "text-embedding-ada-002" -> 1536;
            case "text-embedding-3-large" -> 3072;
            default -> 0;
        };
    }

    @Override
    public String modelName() {
        return dimensions == null ? model : model + "@" + dimensions;
    }

    @Override
    public int dimension() {
        if (knownDimension == 0) {
            knownDimension = embed(List.of("dimension probe")).get(0).length;
        }
        return knownDimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i += batchSize) {
            out.addAll(embedBatch(texts.subList(i, Math.min(texts.size(), i + batchSize))));
        }
        return out;
    }

    private List<float[]> embedBatch(List<String> batch) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", model);
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        if (dimensions != null) {
            body.put("dimensions", dimensions);
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(OmpJson.writeBytes(body)));
        if (apiKey != null && !apiKey.isBlank()) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest request = rb.build();
        OmpException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            Duration wait = null;
            try {
                HttpResponse<String> resp = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() / 100 == 2) {
                    return parse(resp.body(), batch.size());
                }
                Duration retryAfter = RetryAfter.parse(resp.headers().firstValue("Retry-After").orElse(null), clock)
                        .orElse(null);
                last = OmpErrors.fromResponse(resp.statusCode(), null, retryAfter, "openai",
                        "embedding request to " + Redaction.url(endpoint.toString()) + " failed with HTTP "
                                + resp.statusCode());
                if (!retryable(resp.statusCode())) {
                    throw last;
                }
                wait = retryAfter;
            } catch (IOException e) {
                last = new ProviderUnavailableException("embedding endpoint " + Redaction.url(endpoint.toString())
                        + " unreachable: " + e.getClass().getSimpleName(), ErrorDetails.provider("openai"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted while embedding", ErrorDetails.provider("openai"));
            }
            if (attempt < maxRetries) {
                sleep(wait != null ? wait : backoff(attempt));
            }
        }
        throw last;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static Duration backoff(int attempt) {
        long base = Math.min(MAX_BACKOFF.toMillis(), BASE_BACKOFF.toMillis() << Math.min(attempt, 10));
        // Full jitter in [base/2, base] keeps retries of many clients apart.
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted while embedding", ErrorDetails.provider("openai"));
        }
    }

    private List<float[]> parse(String body, int expected) {
        JsonNode root;
        try {
            root = OmpJson.reader().readTree(body);
        } catch (IOException e) {
            throw new ProviderException("embedding endpoint returned malformed JSON", ErrorDetails.provider("openai"));
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray() || data.size() != expected) {
            throw new ProviderException("embedding endpoint returned " + (data == null ? "no" : data.size())
                    + " embeddings for " + expected + " inputs", ErrorDetails.provider("openai"));
        }
        float[][] out = new float[expected][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            int index = item.has("index") ? item.get("index").asInt() : i;
            JsonNode emb = item.get("embedding");
            if (index < 0 || index >= expected || emb == null || !emb.isArray() || out[index] != null) {
                throw new ProviderException("embedding endpoint returned a malformed item",
                        ErrorDetails.provider("openai"));
            }
            float[] v = new float[emb.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) emb.get(j).asDouble();
            }
            out[index] = v;
        }
        if (knownDimension == 0 && expected > 0) {
            knownDimension = out[0].length;
        }
        return List.of(out);
    }

    @Override
    public String toString() {
        return "OpenAiEmbedder{endpoint=" + Redaction.url(endpoint.toString()) + ", model=" + modelName()
                + ", apiKey=" + (apiKey == null ? "none" : "***") + "}";
    }
}
