package blog.openmem.spi;

import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Optional mix-in for providers whose backend is reached through a non-blocking client (HTTP
 * adapters on {@code HttpClient.sendAsync}). {@code AsyncMemory} then calls these directly instead
 * of running the blocking verb on its executor: no thread is held while waiting, and cancelling
 * the returned future aborts the request on the wire. Arguments are validated as for the blocking
 * verbs; failures complete the future with an {@link blog.openmem.spi.error.OmpException}.
 */
public interface AsyncMemoryProvider {
    /**
     * @param input a validated input
     * @param ctx   the caller
     * @return the stored memory
     */
    CompletableFuture<Memory> addAsync(MemoryInput input, CallContext ctx);

    /**
     * @param query a validated query
     * @param ctx   the caller
     * @return results, best first
     */
    CompletableFuture<List<SearchResult>> searchAsync(SearchQuery query, CallContext ctx);
}
