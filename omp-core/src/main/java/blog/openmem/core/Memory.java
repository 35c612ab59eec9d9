package blog.openmem.core;

import blog.openmem.core.context.TokenCounter;
import blog.openmem.core.registry.ConfigString;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Verb;
import blog.openmem.spi.scope.ScopePattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * The synchronous OMP client: one object per backend, thread-safe, selected by a config string.
 *
 * <pre>{@code
 * try (Memory memory = Memory.create("postgres://omp@localhost:5432/omp")) {
 *     var m = memory.add(MemoryInput.of("alice", "Prefers pnpm over npm"));
 *     var hits = memory.search("alice", "which package manager?");
 *     var ctx = memory.context("alice", "package manager", 300);
 * }
 * }</pre>
 *
 * <p>Every verb validates its arguments and checks the provider's cached capabilities before any
 * I/O: bad arguments raise {@link blog.openmem.spi.error.InvalidRequestException}, a verb the
 * provider does not advertise raises {@link UnsupportedCapabilityException}. Missing memories
 * raise {@link NotFoundException} on every provider. All errors extend {@link OmpException}.
 *
 * <p>Each verb is a call to the {@link GuardedProvider} this client shares with its views and with
 * {@link AsyncMemory}. The data record of the same simple name is {@link blog.openmem.spi.model.Memory}.
 */
public final class Memory implements AutoCloseable {
    private final GuardedProvider guarded;
    private final Caller caller;
    private final boolean view;

    Memory(GuardedProvider guarded, Caller caller, boolean view) {
        this.guarded = guarded;
        this.caller = caller;
        this.view = view;
    }

    /**
     * Creates a client from a config string (see {@link ConfigString}); other settings come from
     * system properties {@code omp.<provider>.<key>} and the environment {@code OMP_<PROVIDER>_<KEY>}.
     *
     * @param config e.g. {@code postgres://user@host:5432/db}, {@code mem0}, {@code http://host:8080}
     * @return the client
     * @throws ConfigurationException for an unknown provider, a missing jar or bad settings
     */
    public static Memory create(String config) {
        return builder().config(config).build();
    }

    /**
     * Creates a client from {@code OMP_PROVIDER} (or the system property {@code omp.provider}).
     *
     * @return the client
     * @throws ConfigurationException when it is not set
     */
    public static Memory fromEnv() {
        return builder().build();
    }

    /**
     * Wraps a provider instance directly, bypassing discovery (tests, custom wiring). The client
     * closes the provider when closed.
     *
     * @param provider the provider
     * @return the client
     */
    public static Memory of(MemoryProvider provider) {
        return builder().provider(provider).build();
    }

    /** @return a builder for full control of configuration */
    public static MemoryBuilder builder() {
        return new MemoryBuilder();
    }

    /**
     * A view of this client that records {@code app} in audit entries (CONTRACT D-11). Views share
     * the provider; closing a view does nothing.
     *
     * @param app the calling application's name
     * @return the view
     */
    public Memory withApp(String app) {
        return new Memory(guarded, new Caller(app, caller.requestId(), null), true);
    }

    /**
     * A view that uses the given call context (app and request id) for every call; the server
     * makes one per HTTP request.
     *
     * @param ctx the context
     * @return the view
     */
    public Memory withContext(CallContext ctx) {
        return new Memory(guarded, new Caller(ctx.app(), ctx.requestId(), ctx.readScopes()), true);
    }

    /**
     * A view confined to the scopes a caller may read ({@link CallContext#readScopes()}): list,
     * search, context and audit pass the patterns to the provider, which filters before applying
     * {@code limit}, and this client drops anything outside them again, so a provider that ignores
     * the patterns can return fewer results but never a memory outside them.
     *
     * @param patterns the readable scope patterns; null for no confinement
     * @return the view
     */
    public Memory confinedTo(List<ScopePattern> patterns) {
        return new Memory(guarded, new Caller(caller.app(), caller.requestId(), patterns), true);
    }

    /** @return the id of the provider behind this client, e.g. {@code postgres} */
    public String providerId() {
        return guarded.providerId();
    }

    /**
     * @return the provider's capabilities, fetched once and cached for the life of this client
     */
    public Capabilities capabilities() {
        return guarded.capabilities(caller);
    }

    /**
     * Asks the provider for its capabilities again (a remote server may have changed) and caches
     * the answer; {@link #capabilities()} never does this by itself.
     *
     * @return the fresh capabilities
     */
    public Capabilities refreshCapabilities() {
        return guarded.refreshCapabilities(caller);
    }

    /**
     * @param input the memory to add
     * @return the stored memory
     */
    public blog.openmem.spi.model.Memory add(MemoryInput input) {
        return guarded.add(input, caller);
    }

    /**
     * @param userId  the owner
     * @param content the text
     * @return the stored memory
     */
    public blog.openmem.spi.model.Memory add(String userId, String content) {
        return add(MemoryInput.of(userId, content));
    }

    /**
     * The outcome of {@link #addIdempotent}.
     *
     * @param memory  the memory
     * @param created true when this call created it, false when an earlier call with the same key
     *                and user had
     */
    public record AddResult(blog.openmem.spi.model.Memory memory, boolean created) {
    }

    /**
     * Adds a memory at most once per (user, app, idempotency key): a repeat returns the first result
     * and creates nothing; the same key sent by another app ({@link #withApp}) is another request.
     * Needs a provider that stores keys (feature {@code idempotent_add}); on others it fails with
     * {@link UnsupportedCapabilityException} before any call, rather than add without the promised
     * deduplication.
     *
     * @param input          the memory to add
     * @param idempotencyKey the caller's key (1..200 printable ASCII characters)
     * @return the memory and whether this call created it
     */
    public AddResult addIdempotent(MemoryInput input, String idempotencyKey) {
        AddOutcome out = guarded.addIdempotent(input, idempotencyKey, caller);
        return new AddResult(out.memory(), out.created());
    }

    /**
     * Adds a batch (imports): one round trip per batch where the provider supports it.
     *
     * @param inputs the memories
     * @return the stored memories, in order
     */
    public List<blog.openmem.spi.model.Memory> addAll(List<MemoryInput> inputs) {
        return guarded.addAll(inputs, caller);
    }

    /**
     * Adds memories brought over from another store (see {@code blog.openmem.core.migrate.Migration}):
     * where the provider declares {@link blog.openmem.spi.model.Features#KEEPS_CREATED_AT} they keep
     * their original creation time.
     *
     * @param items the memories and their original creation times
     * @return the stored memories, in order
     */
    public List<blog.openmem.spi.model.Memory> importAll(List<ImportedMemory> items) {
        return guarded.importAll(items, caller);
    }

    /**
     * Re-embeds every memory stored with another embedding model than the provider's current one
     * (see {@link blog.openmem.spi.MemoryProvider#reembed}); resumable, batch by batch.
     *
     * @param batchSize memories per batch (1..10 000)
     * @param progress  told the running total after each batch
     * @return how many memories were re-embedded
     */
    public long reembed(int batchSize, LongConsumer progress) {
        return guarded.reembed(batchSize, progress, caller);
    }

    /**
     * Checks that the backend answers within the timeout.
     *
     * @param timeout the deadline
     * @throws blog.openmem.spi.error.ProviderUnavailableException when it does not
     */
    public void checkHealth(Duration timeout) {
        guarded.checkHealth(timeout, caller);
    }

    /**
     * Every user holding memories, in the provider's order, fetched page by page as the stream is consumed.
     *
     * @return the users
     * @throws UnsupportedCapabilityException when the provider does not declare
     *     {@link blog.openmem.spi.model.Features#LIST_USERS}
     */
    public Stream<String> users() {
        return guarded.users(caller);
    }

    /**
     * Every memory of a user, superseded and expired ones included, in a stable order, fetched page by
     * page as the stream is consumed: what a migration reads. Works where the provider offers
     * {@code list} or declares {@link blog.openmem.spi.model.Features#EXPORT}.
     *
     * @param userId the owner
     * @return the memories
     */
    public Stream<blog.openmem.spi.model.Memory> exportAll(String userId) {
        return guarded.exportAll(userId, caller);
    }

    /**
     * @param id the memory id
     * @return the memory
     * @throws NotFoundException when absent
     */
    public blog.openmem.spi.model.Memory get(String id) {
        return get(id, null);
    }

    /**
     * @param id     the memory id
     * @param userId the caller's user; a memory of another user is reported as not found (D-2)
     * @return the memory
     * @throws NotFoundException when absent or owned by another user
     */
    public blog.openmem.spi.model.Memory get(String id, String userId) {
        return guarded.get(id, userId, caller);
    }

    /**
     * Reads a memory to check who owns it and where it lies before {@code purpose} is performed on
     * it (a server's ownership and grant check before an update or delete). Providers that audit
     * do not record it as a {@code get}: the log lists what the caller did, not the checks made
     * on its behalf.
     *
     * @param purpose the verb about to be performed ({@link Verb#UPDATE} or {@link Verb#DELETE})
     * @param id      the memory id
     * @param userId  the caller's user, or null
     * @return the memory, if present (and owned by {@code userId} when given)
     */
    public Optional<blog.openmem.spi.model.Memory> lookupFor(Verb purpose, String id, String userId) {
        return guarded.lookupFor(purpose, id, userId, caller);
    }

    /**
     * Like {@link #get(String, String)} but empty instead of {@link NotFoundException}.
     *
     * @param id     the memory id
     * @param userId the caller's user, or null
     * @return the memory, if present
     */
    public Optional<blog.openmem.spi.model.Memory> find(String id, String userId) {
        try {
            return Optional.of(get(id, userId));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * @param id     the memory id
     * @param update the changes (D-10: absent = unchanged, explicit null clears)
     * @return the updated memory
     */
    public blog.openmem.spi.model.Memory update(String id, MemoryUpdate update) {
        return update(id, null, update);
    }

    /**
     * @param id     the memory id
     * @param userId the caller's user, or null
     * @param update the changes
     * @return the updated memory
     * @throws NotFoundException when absent or owned by another user
     */
    public blog.openmem.spi.model.Memory update(String id, String userId, MemoryUpdate update) {
        return guarded.update(id, userId, update, caller);
    }

    /**
     * @param id the memory id
     * @throws NotFoundException when absent (D-12)
     */
    public void delete(String id) {
        delete(id, null);
    }

    /**
     * @param id     the memory id
     * @param userId the caller's user, or null
     * @throws NotFoundException when absent or owned by another user (D-12)
     */
    public void delete(String id, String userId) {
        guarded.delete(id, userId, caller);
    }

    /**
     * @param query the query
     * @return one page, newest first
     */
    public MemoryPage list(ListQuery query) {
        return guarded.list(query, caller);
    }

    /**
     * @param userId the owner
     * @return the first page of that user's memories
     */
    public MemoryPage list(String userId) {
        return list(ListQuery.builder(userId).build());
    }

    /**
     * Every memory matching the query, fetching pages lazily as the stream is consumed.
     *
     * @param query the query (its cursor is the starting point)
     * @return a sequential stream over all pages
     */
    public Stream<blog.openmem.spi.model.Memory> stream(ListQuery query) {
        return Pages.memories(list(query), cursor -> list(query.withCursor(cursor)));
    }

    /**
     * @param query the query
     * @return results, best first
     */
    public List<SearchResult> search(SearchQuery query) {
        return guarded.search(query, caller);
    }

    /**
     * @param userId the owner
     * @param query  the text
     * @return the 10 best results
     */
    public List<SearchResult> search(String userId, String query) {
        return search(SearchQuery.builder(userId, query).build());
    }

    /**
     * A prompt-ready block within the token budget (CONTRACT §6). Built by the provider when it
     * does so natively, else assembled here from {@code search}.
     *
     * @param query the query
     * @return the block; never over budget
     */
    public ContextBlock context(ContextQuery query) {
        return guarded.context(query, caller);
    }

    /**
     * @param userId      the owner
     * @param query       the text
     * @param tokenBudget the budget
     * @return the block
     */
    public ContextBlock context(String userId, String query, int tokenBudget) {
        return context(ContextQuery.builder(userId, query).tokenBudget(tokenBudget).build());
    }

    /**
     * @param query the query
     * @return entries, newest first
     */
    public List<AuditEntry> audit(AuditQuery query) {
        return guarded.audit(query, caller);
    }

    /**
     * @param userId the user
     * @return the newest 100 entries
     */
    public List<AuditEntry> audit(String userId) {
        return audit(AuditQuery.of(userId));
    }

    /** @return the token counter used for context blocks */
    public TokenCounter tokenCounter() {
        return guarded.assembler().tokens();
    }

    /** The guarded provider and this view's caller, for {@link AsyncMemory}'s native path. */
    GuardedProvider guarded() {
        return guarded;
    }

    Caller caller() {
        return caller;
    }

    /**
     * Closes the provider and what the client created for it. Idempotent; views made with
     * {@link #withApp(String)} do not close anything.
     */
    @Override
    public void close() {
        if (!view) {
            guarded.close();
        }
    }
}
