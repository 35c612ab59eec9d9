package blog.openmem.spi;

import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contract a backend implements: only the backend-specific translation. The client facade
 * in {@code omp-core} validates arguments, gates verbs on {@link #capabilities()}, raises
 * {@code not_found} and assembles context blocks, so a provider never has to (lean SPI, fat core).
 *
 * <p>Arguments reaching a provider are already validated. {@code userId} on by-id calls is
 * optional: when non-null, a memory owned by someone else must be treated as absent (D-2).
 * Implementations must be thread-safe. Failures are {@link blog.openmem.spi.error.OmpException}s.
 */
public interface MemoryProvider extends AutoCloseable {

    /** @return what this provider really supports; called once per client and cached */
    Capabilities capabilities();

    /**
     * @param input a validated input
     * @param ctx   the caller
     * @return the stored memory with id, created_at and status
     */
    Memory add(MemoryInput input, CallContext ctx);

    /**
     * Adds many memories; providers that can should do it in one round trip.
     *
     * @param inputs validated inputs
     * @param ctx    the caller
     * @return the stored memories, in input order
     */
    default List<Memory> addAll(List<MemoryInput> inputs, CallContext ctx) {
        List<Memory> out = new ArrayList<>(inputs.size());
        for (MemoryInput in : inputs) {
            out.add(add(in, ctx));
        }
        return out;
    }

    /**
     * Adds memories that already exist in another store (a migration). Providers that can store a
     * creation time override this, keep {@link ImportedMemory#createdAt()} and declare
     * {@link blog.openmem.spi.model.Features#KEEPS_CREATED_AT}; the default adds the inputs with
     * {@link #addAll}, so the memories get the provider's own creation time.
     *
     * @param items validated inputs with their original creation times
     * @param ctx   the caller
     * @return the stored memories, in input order
     */
    default List<Memory> importAll(List<ImportedMemory> items, CallContext ctx) {
        return addAll(items.stream().map(ImportedMemory::input).toList(), ctx);
    }

    /**
     * Users holding at least one memory, in the provider's stable order (postgres: ascending in the
     * database's collation), after {@code after}. Optional: declared
     * by {@link blog.openmem.spi.model.Features#LIST_USERS}; the default refuses.
     *
     * @param after the last user of the previous page, or null for the first page
     * @param limit at most this many
     * @param ctx   the caller
     * @return the next users; fewer than {@code limit} (or none) on the last page
     */
    default List<String> listUsers(String after, int limit, CallContext ctx) {
        throw new UnsupportedCapabilityException("listing users is not supported by " + capabilities().provider());
    }

    /**
     * One page of every memory of a user, superseded and expired ones included, in any stable
     * order: what a migration reads. The default pages through {@link #list}; a provider without
     * {@code list} that can still read a user's memories overrides this and declares
     * {@link blog.openmem.spi.model.Features#EXPORT}. The cursor never leaves the process.
     *
     * @param userId the owner
     * @param cursor the previous page's cursor, or null for the first page
     * @param ctx    the caller
     * @return the page
     */
    default MemoryPage exportPage(String userId, String cursor, CallContext ctx) {
        return list(new ListQuery(userId, null, null, null, null, ListQuery.MAX_LIMIT, cursor), ctx);
    }

    /**
     * The memory a previous {@code add} with this idempotency key created for this user. Providers
     * that store keys (see {@link CallContext#idempotencyKey()}) override this and declare the
     * extra feature {@code idempotent_add}; the default finds nothing.
     *
     * @param userId the owner
     * @param key    the idempotency key
     * @param ctx    the caller
     * @return the memory, if one was created with this key
     */
    default Optional<Memory> findByIdempotencyKey(String userId, String key, CallContext ctx) {
        return Optional.empty();
    }

    /**
     * Adds at most once per (user, {@link CallContext#idempotencyKey()}). The default looks the key
     * up with {@link #findByIdempotencyKey} and adds when absent; providers whose backend
     * deduplicates by itself (an OMP server) override it to do both in one call.
     *
     * @param input a validated input
     * @param ctx   the caller, carrying the key
     * @return the memory and whether this call created it
     */
    default AddOutcome addIdempotent(MemoryInput input, CallContext ctx) {
        Optional<Memory> earlier = findByIdempotencyKey(input.userId(), ctx.idempotencyKey(), ctx);
        return earlier.map(m -> new AddOutcome(m, false)).orElseGet(() -> new AddOutcome(add(input, ctx), true));
    }

    /**
     * Asks the backend for its capabilities again. Clients cache {@link #capabilities()}; this is
     * the only call that refreshes them. The default returns {@link #capabilities()}.
     *
     * @return the current capabilities
     */
    default Capabilities refreshCapabilities() {
        return capabilities();
    }

    /**
     * Checks that the backend answers; the server's {@code /healthz} calls it with a 1 s deadline.
     * The default does nothing (a provider without a backend of its own is always healthy).
     *
     * @throws blog.openmem.spi.error.ProviderUnavailableException when the backend does not answer
     */
    default void checkHealth() {
    }

    /**
     * Reads one memory. When {@code ctx.operation()} is another verb than {@code get} (a check made
     * before an update or delete), a provider that audits does not record the read as a get.
     *
     * @param id     the memory id
     * @param userId the owner to confine to, or null
     * @param ctx    the caller
     * @return the memory, or empty when absent or owned by another user
     */
    Optional<Memory> get(String id, String userId, CallContext ctx);

    /**
     * @param id     the memory id
     * @param userId the owner to confine to, or null
     * @param update the validated update (D-10 semantics, see {@link MemoryUpdate#applyTo})
     * @param ctx    the caller
     * @return the updated memory, or empty when absent
     */
    Optional<Memory> update(String id, String userId, MemoryUpdate update, CallContext ctx);

    /**
     * @param id     the memory id
     * @param userId the owner to confine to, or null
     * @param ctx    the caller
     * @return true when deleted, false when absent
     */
    boolean delete(String id, String userId, CallContext ctx);

    /**
     * @param query a validated query
     * @param ctx   the caller
     * @return one page, newest first
     */
    MemoryPage list(ListQuery query, CallContext ctx);

    /**
     * @param query a validated query
     * @param ctx   the caller
     * @return results, best first, scores in [0,1] and non-increasing
     */
    List<SearchResult> search(SearchQuery query, CallContext ctx);

    /**
     * A context block built by the backend itself. The default returns empty, and the client
     * assembles the block from {@link #search} (CONTRACT §6).
     *
     * @param query a validated query
     * @param ctx   the caller
     * @return a native block, or empty to let the client assemble it
     */
    default Optional<ContextBlock> context(ContextQuery query, CallContext ctx) {
        return Optional.empty();
    }

    /**
     * @param query a validated query
     * @param ctx   the caller
     * @return entries, newest first
     */
    default List<AuditEntry> audit(AuditQuery query, CallContext ctx) {
        throw new UnsupportedCapabilityException("audit is not supported by " + capabilities().provider());
    }

    /**
     * Re-embeds, with the provider's current embedder, every memory stored with another embedding
     * model (CONTRACT §5: after changing the embedder of an existing store). Works in batches that
     * each commit on their own, so an interrupted run resumes where it stopped; meanwhile search
     * keeps refusing users whose memories mix models. The default refuses: a provider without
     * vectors of its own has nothing to re-embed.
     *
     * @param batchSize memories per batch
     * @param progress  told the running total after each batch
     * @return how many memories this call re-embedded
     */
    default long reembed(int batchSize, java.util.function.LongConsumer progress) {
        throw new UnsupportedCapabilityException("re-embedding is not supported by " + capabilities().provider());
    }

    /** Releases connections and threads. */
    @Override
    void close();
}
