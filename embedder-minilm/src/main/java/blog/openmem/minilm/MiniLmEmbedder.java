package blog.openmem.minilm;

import blog.openmem.spi.embed.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quantised all-MiniLM-L6-v2 on ONNX Runtime, through LangChain4j's in-process model (which
 * bundles the ONNX file and its tokenizer). The model is loaded once per JVM, on first use, and
 * shared by every instance; it is thread-safe. A batch is spread over one worker per core. Vectors
 * come L2-normalised from LangChain4j's encoder (mean pooling, then normalisation), so cosine
 * similarity is a dot product.
 */
public final class MiniLmEmbedder implements Embedder {
    /** The name recorded as {@code embedding_model} on every memory. */
    public static final String MODEL_NAME = "all-minilm-l6-v2-q";
    /** The model's output size. */
    public static final int DIMENSION = 384;

    /** Holder idiom: the 23 MB model loads on first use, once, whatever the number of instances. */
    private static final class Model {
        static final ExecutorService WORKERS = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), daemon());
        static final EmbeddingModel INSTANCE = quietly(() -> new AllMiniLmL6V2QuantizedEmbeddingModel(WORKERS));

        /**
         * Loads the model without DJL's GPU probe warning. Loading the tokenizer's native library makes
         * DJL ask CUDA for the GPU count; where a CUDA runtime is present without a usable driver (most
         * machines without a GPU) it logs "Failed to detect GPU count" at WARN, twice, on every start —
         * for a model that runs on the CPU only. DJL silences that probe only in its own command-line
         * tool, through a private flag; it is cleared here the same way, and left alone if that fails.
         */
        private static EmbeddingModel quietly(java.util.function.Supplier<EmbeddingModel> load) {
            try {
                java.lang.reflect.Field logging = Class.forName("ai.djl.util.cuda.CudaUtils")
                        .getDeclaredField("logging");
                logging.setAccessible(true);
                logging.setBoolean(null, false);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // another DJL version: its warnings, if any, stay
            }
            return load.get();
        }

        private static java.util.concurrent.ThreadFactory daemon() {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "omp-minilm-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    @Override
    public String modelName() {
        return MODEL_NAME;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            // LangChain4j rejects blank text; OMP never stores or searches blank text, but be total anyway.
            segments.add(TextSegment.from(t == null || t.isBlank() ? "-" : t));
        }
        List<Embedding> out = Model.INSTANCE.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(e.vector());
        }
        return vectors;
    }

    @Override
    public String toString() {
        return "MiniLmEmbedder[" + MODEL_NAME + ", " + DIMENSION + "d]";
    }
}
