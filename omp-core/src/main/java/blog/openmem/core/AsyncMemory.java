package blog.openmem.core;

import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous twin of {@link Memory}: the same verbs returning {@link CompletableFuture}s,
 * run on an owned, bounded executor. When the queue is full a call fails at once with
 * {@link ProviderUnavailableException} instead of piling up. Validation and capability errors
 * complete the future exceptionally, before any I/O. Errors arrive wrapped in
 * {@link java.util.concurrent.CompletionException} as usual, with an
 * {@link blog.openmem.spi.error.OmpException} as cause.
 */
public final class AsyncMemory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncMemory.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** Default worker threads. */
    public static final int DEFAULT_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Default queue capacity. */
    public static final int DEFAULT_QUEUE = 1024;

    private final Memory memory;
    private final boolean ownsMemory;
    private final ThreadPoolExecutor executor;
    private final int queueCapacity;

    private AsyncMemory(Memory memory, boolean ownsMemory, int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queue capacity must be positive");
        }
        this.memory = memory;
        this.ownsMemory = ownsMemory;
        this.queueCapacity = queueCapacity;
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "omp-async-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
    }

    /**
     * @param config a config string, as {@link Memory#create(String)}
     * @return an async client owning its {@link Memory}
     */
    public static AsyncMemory create(String config) {
        return new AsyncMemory(Memory.create(config), true, DEFAULT_THREADS, DEFAULT_QUEUE);
    }

    /**
     * @param memory a client; it stays open when this async client is closed
     * @return an async client with the default executor size
     */
    public static AsyncMemory of(Memory memory) {
        return new AsyncMemory(memory, false, DEFAULT_THREADS, DEFAULT_QUEUE);
    }

    /**
     * @param memory        a client
     * @param ownsMemory    whether {@link #close()} closes it too
     * @param threads       worker threads
     * @param queueCapacity calls that may wait for a worker
     * @return an async client
     */
    public static AsyncMemory of(Memory memory, boolean ownsMemory, int threads, int queueCapacity) {
        return new AsyncMemory(memory, ownsMemory, threads, queueCapacity);
    }

    /** @return the synchronous client behind this one */
    public Memory sync() {
        return memory;
    }

    /** @return the capabilities (cached) */
    public CompletableFuture<Capabilities> capabilities() {
        return submit(memory::capabilities);
    }

    /** @param input the memory @return the stored memory */
    public CompletableFuture<blog.openmem.spi.model.Memory> add(MemoryInput input) {
        if (memory.guarded().nativeAsync()) {
            return nativeCall(() -> memory.guarded().addAsync(input, memory.caller()));
        }
        return submit(() -> memory.add(input));
    }

    /** @param inputs the memories @return the stored memories */
    public CompletableFuture<List<blog.openmem.spi.model.Memory>> addAll(List<MemoryInput> inputs) {
        return submit(() -> memory.addAll(inputs));
    }

    /** @param id the id @param userId the caller's user or null @return the memory */
    public CompletableFuture<blog.openmem.spi.model.Memory> get(String id, String userId) {
        return submit(() -> memory.get(id, userId));
    }

    /** @param id the id @param userId the caller's user or null @param update the changes @return the memory */
    public CompletableFuture<blog.openmem.spi.model.Memory> update(String id, String userId, MemoryUpdate update) {
        return submit(() -> memory.update(id, userId, update));
    }

    /** @param id the id @param userId the caller's user or null @return completion */
    public CompletableFuture<Void> delete(String id, String userId) {
        return submit(() -> {
            memory.delete(id, userId);
            return Boolean.TRUE;
        }).thenApply(x -> null);
    }

    /** @param query the query @return one page */
    public CompletableFuture<MemoryPage> list(ListQuery query) {
        return submit(() -> memory.list(query));
    }

    /** @param query the query @return results */
    public CompletableFuture<List<SearchResult>> search(SearchQuery query) {
        if (memory.guarded().nativeAsync()) {
            return nativeCall(() -> memory.guarded().searchAsync(query, memory.caller()));
        }
        return submit(() -> memory.search(query));
    }

    /** @param query the query @return the block */
    public CompletableFuture<ContextBlock> context(ContextQuery query) {
        return submit(() -> memory.context(query));
    }

    /** @param query the query @return entries */
    public CompletableFuture<List<AuditEntry>> audit(AuditQuery query) {
        return submit(() -> memory.audit(query));
    }

    /**
     * A provider with a native asynchronous path (HTTP adapters): no executor thread is held, and
     * cancelling the future aborts the request. Validation errors still arrive as a failed future.
     */
    private <T> CompletableFuture<T> nativeCall(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call, executor);
        } catch (RejectedExecutionException e) {
            String why = executor.isShutdown() ? "this AsyncMemory client is closed"
                    : "the async queue is full (" + queueCapacity + " calls waiting)";
            return CompletableFuture.failedFuture(new ProviderUnavailableException(why,
                    ErrorDetails.provider(memory.providerId())));
        }
    }

    /**
     * Stops taking calls, lets running ones finish (up to 30 s), then closes the {@link Memory}
     * if this client owns it.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("omp: async calls still running after 30 s; interrupting them");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (ownsMemory) {
            memory.close();
        }
    }
}
