package blog.openmem.core.embed;

import blog.openmem.core.http.HttpCall;
import blog.openmem.core.http.HttpSettings;
import blog.openmem.core.http.ResilientHttpClient;
import blog.openmem.spi.Redaction;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.json.OmpJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeddings from any OpenAI-compatible {@code POST <base_url>/embeddings} endpoint (OpenAI,
 * Azure-style proxies, Ollama, vLLM, LM Studio…), on the shared {@link ResilientHttpClient}: texts
 * are sent in batches, and timeouts, retries (408, 429, 5xx, I/O errors; {@code Retry-After}
 * honoured), the circuit breaker, the rate limit and the error mapping are the ones every HTTP
 * provider has. The API key never appears in messages or {@link #toString()}.
 */
public final class OpenAiEmbedder implements Embedder {
    private final ResilientHttpClient http;
    private final String model;
    private final Integer dimensions;
    private final int batchSize;
    private volatile int knownDimension;

    /**
     * @param http       the client, on the endpoint's base URL with its key as a credential
     * @param model      model name
     * @param dimensions requested dimensions, or null for the model's own
     * @param batchSize  texts per request
     */
    OpenAiEmbedder(ResilientHttpClient http, String model, Integer dimensions, int batchSize) {
        this.http = http;
        this.model = model;
        this.dimensions = dimensions;
        this.batchSize = batchSize;
        this.knownDimension = dimensions != null ? dimensions : defaultDimension(model);
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
        // Embedding the same texts twice is harmless: the call is retried like a read.
        byte[] answer = http.send(HttpCall.of("POST", "/embeddings").body(OmpJson.writeBytes(body)).idempotent(true)
                .build()).body();
        return parse(new String(answer, java.nio.charset.StandardCharsets.UTF_8), batch.size());
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
        return "OpenAiEmbedder{endpoint=" + Redaction.url(http.settings().baseUrl() + "/embeddings") + ", model="
                + modelName() + ", apiKey=" + (http.settings().credentials().isEmpty() ? "none" : "***") + "}";
    }
}
