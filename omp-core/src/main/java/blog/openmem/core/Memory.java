package blog.openmem.core;

import blog.openmem.core.context.ContextAssembler;
import blog.openmem.core.context.ContextRenderer;
import blog.openmem.core.context.TokenCounter;
import blog.openmem.core.registry.ConfigResolver;
import blog.openmem.core.registry.ConfigString;
import blog.openmem.core.registry.EmbedderSelector;
import blog.openmem.core.registry.ProviderRegistry;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.MemoryProviderFactory;
import blog.openmem.spi.ProviderConfig;
import blog.openmem.spi.embed.Embedder;
import blog.openmem.spi.error.ConfigurationException;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
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
import blog.openmem.spi.model.Validation;
import blog.openmem.spi.model.Verb;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * <p>The data record of the same simple name is {@link blog.openmem.spi.model.Memory}.
 */
public final class Memory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Memory.class.getName());

    private final Shared shared;
    private final String app;
    private final String requestId;
    private final List<blog.openmem.spi.scope.ScopePattern> readScopes;
    private final boolean view;

    /** State shared by a client and the views made with {@link #withApp(String)}. */
    private static final class Shared {
        final MemoryProvider provider;
        final String providerId;
        final ContextAssembler assembler;
        final List<AutoCloseable> owned;
        final AtomicBoolean closed = new AtomicBoolean();
        volatile Capabilities capabilities;

        Shared(MemoryProvider provider, String providerId, ContextAssembler assembler, List<AutoCloseable> owned) {
            this.provider = provider;
            this.providerId = providerId;
            this.assembler = assembler;
            this.owned = owned;
        }
    }

    private Memory(Shared shared, String app, String requestId, boolean view) {
        this(shared, app, requestId, null, view);
    }

    private Memory(Shared shared, String app, String requestId, List<blog.openmem.spi.scope.ScopePattern> readScopes,
                   boolean view) {
        this.shared = shared;
        this.app = app;
        this.requestId = requestId;
        this.readScopes = readScopes == null ? null : List.copyOf(readScopes);
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
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A view of this client that records {@code app} in audit entries (CONTRACT D-11). Views share
     * the provider; closing a view does nothing.
     *
     * @param app the calling application's name
     * @return the view
     */
    public Memory withApp(String app) {
        return new Memory(shared, app, requestId, true);
    }

    /**
     * A view that uses the given call context (app and request id) for every call; the server
     * makes one per HTTP request.
     *
     * @param ctx the context
     * @return the view
     */
    public Memory withContext(CallContext ctx) {
        return new Memory(shared, ctx.app(), ctx.requestId(), ctx.readScopes(), true);
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
    public Memory confinedTo(List<blog.openmem.spi.scope.ScopePattern> patterns) {
        return new Memory(shared, app, requestId, patterns, true);
    }

    /** @return the id of the provider behind this client, e.g. {@code postgres} */
    public String providerId() {
        return shared.providerId;
    }

    /**
     * @return the provider's capabilities, fetched once and cached for the life of this client
     */
    public Capabilities capabilities() {
        Capabilities c = shared.capabilities;
        if (c == null) {
            synchronized (shared) {
                c = shared.capabilities;
                if (c == null) {
                    ensureOpen();
                    c = guard(Verb.GET, newRequestId(), shared.provider::capabilities);
                    shared.capabilities = c;
                }
            }
        }
        return c;
    }

    /**
     * Asks the provider for its capabilities again (a remote server may have changed) and caches
     * the answer; {@link #capabilities()} never does this by itself.
     *
     * @return the fresh capabilities
     */
    public Capabilities refreshCapabilities() {
        ensureOpen();
        Capabilities c = guard(Verb.GET, newRequestId(), shared.provider::refreshCapabilities);
        synchronized (shared) {
            shared.capabilities = c;
        }
        return c;
    }

    /**
     * @param input the memory to add
     * @return the stored memory
     */
    public blog.openmem.spi.model.Memory add(MemoryInput input) {
        Capabilities caps = gate(Verb.ADD);
        Validation.input(input, caps.features().effectiveMaxContentLength());
        String rid = newRequestId();
        return guard(Verb.ADD, rid, () -> shared.provider.add(input, ctx(rid, Verb.ADD)));
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
        Capabilities caps = gate(Verb.ADD);
        if (!Boolean.TRUE.equals(caps.features().extra().get("idempotent_add"))) {
            // Adding anyway would promise a deduplication that does not happen: a retry would store twice.
            throw new UnsupportedCapabilityException("Idempotency-Key: provider '" + shared.providerId
                    + "' cannot deduplicate adds (no feature idempotent_add); use add", ErrorDetails.provider(
                    shared.providerId));
        }
        Validation.input(input, caps.features().effectiveMaxContentLength());
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > 200
                || !idempotencyKey.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new blog.openmem.spi.error.InvalidRequestException(
                    "Idempotency-Key: must be 1 to 200 printable ASCII characters without spaces");
        }
        String rid = newRequestId();
        // Keys are per (user, app): another app's equal key is another request, never a replay of
        // a memory it may not be allowed to read. The app's name is length-prefixed so no pair of
        // app and key can spell another pair, and hashed so the stored key stays 64 printable
        // characters (a passthrough provider sends it on as a header).
        String stored = app == null ? idempotencyKey : sha256Hex(app.length() + ":" + app + ":" + idempotencyKey);
        CallContext ctx = ctx(rid, Verb.ADD).withIdempotencyKey(stored);
        blog.openmem.spi.model.AddOutcome out = guard(Verb.ADD, rid, () -> shared.provider.addIdempotent(input, ctx));
        return new AddResult(out.created() ? out.memory() : checkOwner(out.memory(), input.userId(), rid),
                out.created());
    }

    /**
     * Re-embeds every memory stored with another embedding model than the provider's current one
     * (see {@link blog.openmem.spi.MemoryProvider#reembed}); resumable, batch by batch.
     *
     * @param batchSize memories per batch (1..10 000)
     * @param progress  told the running total after each batch
     * @return how many memories were re-embedded
     */
    public long reembed(int batchSize, java.util.function.LongConsumer progress) {
        ensureOpen();
        if (batchSize < 1 || batchSize > 10_000) {
            throw new blog.openmem.spi.error.InvalidRequestException("batch_size: must be 1..10000");
        }
        String rid = newRequestId();
        return guard(Verb.UPDATE, rid, () -> shared.provider.reembed(batchSize, progress == null ? n -> { } : progress));
    }

    /**
     * Checks that the backend answers within the timeout.
     *
     * @param timeout the deadline
     * @throws blog.openmem.spi.error.ProviderUnavailableException when it does not
     */
    public void checkHealth(java.time.Duration timeout) {
        ensureOpen();
        String rid = newRequestId();
        java.util.concurrent.CompletableFuture<Void> f = java.util.concurrent.CompletableFuture.runAsync(
                shared.provider::checkHealth, HEALTH_EXECUTOR);
        try {
            f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new blog.openmem.spi.error.ProviderUnavailableException("provider '" + shared.providerId
                    + "' did not answer within " + timeout.toMillis() + " ms", new ErrorDetails(shared.providerId, rid,
                    null, null));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof OmpException o) {
                throw o;
            }
            throw new blog.openmem.spi.error.ProviderUnavailableException("provider '" + shared.providerId
                    + "' is unhealthy", new ErrorDetails(shared.providerId, rid, null, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new blog.openmem.spi.error.ProviderUnavailableException("interrupted", ErrorDetails.provider(
                    shared.providerId));
        }
    }

    /** Health checks run here so a hung backend never holds a caller's thread past its deadline. */
    private static final java.util.concurrent.ExecutorService HEALTH_EXECUTOR =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "omp-health");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param userId  the owner
     * @param content the text
     * @return the stored memory
     */
    public blog.openmem.spi.model.Memory add(String userId, String content) {
        return add(MemoryInput.of(userId, content));
    }

    /**
     * Adds a batch (imports): one round trip per batch where the provider supports it.
     *
     * @param inputs the memories
     * @return the stored memories, in order
     */
    public List<blog.openmem.spi.model.Memory> addAll(List<MemoryInput> inputs) {
        Capabilities caps = gate(Verb.ADD);
        Validation.inputs(inputs, caps.features().effectiveMaxContentLength());
        if (inputs.isEmpty()) {
            return List.of();
        }
        String rid = newRequestId();
        List<blog.openmem.spi.model.Memory> out = guard(Verb.ADD, rid, () -> shared.provider.addAll(inputs, ctx(rid, Verb.ADD)));
        if (out.size() != inputs.size()) {
            throw new ProviderException("provider '" + shared.providerId + "' returned " + out.size()
                    + " memories for " + inputs.size() + " inputs", new ErrorDetails(shared.providerId, rid, null, null));
        }
        return out;
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
        Capabilities caps = gate(Verb.ADD);
        Validation.inputs(items.stream().map(ImportedMemory::input).toList(),
                caps.features().effectiveMaxContentLength());
        if (items.isEmpty()) {
            return List.of();
        }
        String rid = newRequestId();
        List<blog.openmem.spi.model.Memory> out = guard(Verb.ADD, rid, () -> shared.provider.importAll(items,
                ctx(rid, Verb.ADD)));
        if (out.size() != items.size()) {
            throw new ProviderException("provider '" + shared.providerId + "' returned " + out.size()
                    + " memories for " + items.size() + " inputs", new ErrorDetails(shared.providerId, rid, null, null));
        }
        return out;
    }

    /**
     * Every user holding memories, in the provider's order, fetched page by page as the stream is consumed.
     *
     * @return the users
     * @throws UnsupportedCapabilityException when the provider does not declare
     *     {@link blog.openmem.spi.model.Features#LIST_USERS}
     */
    public Stream<String> users() {
        ensureOpen();
        if (!capabilities().features().has(blog.openmem.spi.model.Features.LIST_USERS)) {
            throw new UnsupportedCapabilityException("provider '" + shared.providerId + "' cannot list its users",
                    ErrorDetails.provider(shared.providerId));
        }
        int pageSize = 1000;
        Iterator<String> it = new Iterator<>() {
            private List<String> page = fetch(null);
            private int index;

            private List<String> fetch(String after) {
                String rid = newRequestId();
                return guard(Verb.LIST, rid, () -> shared.provider.listUsers(after, pageSize, ctx(rid, Verb.LIST)));
            }

            @Override
            public boolean hasNext() {
                if (index >= page.size() && page.size() == pageSize) {
                    page = fetch(page.get(page.size() - 1));
                    index = 0;
                }
                return index < page.size();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
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
        ensureOpen();
        Validation.userId(userId);
        Capabilities caps = capabilities();
        if (!caps.supports(Verb.LIST) && !caps.features().has(blog.openmem.spi.model.Features.EXPORT)) {
            throw new UnsupportedCapabilityException("provider '" + shared.providerId
                    + "' can neither list nor export a user's memories", ErrorDetails.provider(shared.providerId));
        }
        return pages(exportPage(userId, null), cursor -> exportPage(userId, cursor));
    }

    private MemoryPage exportPage(String userId, String cursor) {
        String rid = newRequestId();
        MemoryPage p = guard(Verb.LIST, rid, () -> shared.provider.exportPage(userId, cursor, ctx(rid, Verb.LIST)));
        p.items().forEach(m -> checkOwner(m, userId, rid));
        return p;
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
        gate(Verb.GET);
        byIdArgs(id, userId);
        String rid = newRequestId();
        Optional<blog.openmem.spi.model.Memory> m = guard(Verb.GET, rid, () -> shared.provider.get(id, userId,
                ctx(rid, Verb.GET)));
        return checkOwner(m.orElseThrow(() -> notFound(id, rid)), userId, rid);
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
        gate(purpose);
        gate(Verb.GET);
        byIdArgs(id, userId);
        String rid = newRequestId();
        Optional<blog.openmem.spi.model.Memory> m = guard(purpose, rid, () -> shared.provider.get(id, userId,
                ctx(rid, purpose)));
        return m.filter(x -> userId == null || userId.equals(x.userId()));
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
        Capabilities caps = gate(Verb.UPDATE);
        byIdArgs(id, userId);
        Validation.update(update, caps.features().effectiveMaxContentLength());
        String rid = newRequestId();
        Optional<blog.openmem.spi.model.Memory> m = guard(Verb.UPDATE, rid,
                () -> shared.provider.update(id, userId, update, ctx(rid, Verb.UPDATE)));
        return checkOwner(m.orElseThrow(() -> notFound(id, rid)), userId, rid);
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
        gate(Verb.DELETE);
        byIdArgs(id, userId);
        String rid = newRequestId();
        boolean deleted = guard(Verb.DELETE, rid, () -> shared.provider.delete(id, userId, ctx(rid, Verb.DELETE)));
        if (!deleted) {
            throw notFound(id, rid);
        }
    }

    /**
     * @param query the query
     * @return one page, newest first
     */
    public MemoryPage list(ListQuery query) {
        gate(Verb.LIST);
        Validation.list(query);
        String rid = newRequestId();
        MemoryPage page = guard(Verb.LIST, rid, () -> shared.provider.list(query, ctx(rid, Verb.LIST)));
        page.items().forEach(m -> checkOwner(m, query.userId(), rid));
        if (readScopes != null) {
            page = new MemoryPage(page.items().stream().filter(m -> readable(m.scope())).toList(), page.nextCursor());
        }
        return page;
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
        return pages(list(query), cursor -> list(query.withCursor(cursor)));
    }

    /** The items of a first page and of the pages after it, fetched as the stream is consumed. */
    private static Stream<blog.openmem.spi.model.Memory> pages(MemoryPage first,
            java.util.function.Function<String, MemoryPage> next) {
        Iterator<blog.openmem.spi.model.Memory> it = new Iterator<>() {
            private MemoryPage page = first;
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.items().size()) {
                    if (!page.hasMore()) {
                        return false;
                    }
                    page = next.apply(page.nextCursor());
                    index = 0;
                }
                return true;
            }

            @Override
            public blog.openmem.spi.model.Memory next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.items().get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /**
     * @param query the query
     * @return results, best first
     */
    public List<SearchResult> search(SearchQuery query) {
        Capabilities caps = gate(Verb.SEARCH);
        Validation.search(query, caps.limits().effectiveMaxSearchResults());
        String rid = newRequestId();
        List<SearchResult> results = guard(Verb.SEARCH, rid, () -> shared.provider.search(query, ctx(rid, Verb.SEARCH)));
        results.forEach(r -> checkOwner(r.memory(), query.userId(), rid));
        return readScopes == null ? results : results.stream().filter(r -> readable(r.memory().scope())).toList();
    }

    /** @return whether the provider has a native asynchronous path ({@link AsyncMemory} uses it) */
    boolean nativeAsync() {
        return shared.provider instanceof blog.openmem.spi.AsyncMemoryProvider;
    }

    /** The asynchronous twin of {@link #search(SearchQuery)} on a native provider path. */
    java.util.concurrent.CompletableFuture<List<SearchResult>> searchNative(SearchQuery query) {
        Capabilities caps = gate(Verb.SEARCH);
        Validation.search(query, caps.limits().effectiveMaxSearchResults());
        String rid = newRequestId();
        return guardAsync(Verb.SEARCH, rid, ((blog.openmem.spi.AsyncMemoryProvider) shared.provider)
                .searchAsync(query, ctx(rid, Verb.SEARCH)), results -> {
                    results.forEach(r -> checkOwner(r.memory(), query.userId(), rid));
                    return results;
                });
    }

    /** The asynchronous twin of {@link #add(MemoryInput)} on a native provider path. */
    java.util.concurrent.CompletableFuture<blog.openmem.spi.model.Memory> addNative(MemoryInput input) {
        Capabilities caps = gate(Verb.ADD);
        Validation.input(input, caps.features().effectiveMaxContentLength());
        String rid = newRequestId();
        return guardAsync(Verb.ADD, rid, ((blog.openmem.spi.AsyncMemoryProvider) shared.provider)
                .addAsync(input, ctx(rid, Verb.ADD)), m -> m);
    }

    /**
     * {@link #guard} for futures: the same error mapping, then {@code check}, applied on completion.
     * Cancelling the returned future cancels the provider's (so the request is aborted); no
     * dependent stage sits between them, since a dependent's cancellation would not travel back.
     */
    private <T> java.util.concurrent.CompletableFuture<T> guardAsync(Verb verb, String rid,
                                                                     java.util.concurrent.CompletableFuture<T> call,
                                                                     java.util.function.UnaryOperator<T> check) {
        java.util.concurrent.CompletableFuture<T> out = new java.util.concurrent.CompletableFuture<>();
        call.whenComplete((value, error) -> {
            if (error == null) {
                try {
                    out.complete(check.apply(guard(verb, rid, () -> value)));
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            out.completeExceptionally(failure(verb, rid, cause instanceof RuntimeException re ? re
                    : new IllegalStateException(cause)));
        });
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                call.cancel(true);
            }
        });
        return out;
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
        Capabilities caps = gate(Verb.CONTEXT);
        Validation.context(query);
        String rid = newRequestId();
        CallContext ctx = ctx(rid, Verb.CONTEXT);
        return guard(Verb.CONTEXT, rid, () -> {
            // A provider's own block cannot be checked against read scopes: confined views assemble here.
            Optional<ContextBlock> nativeBlock = readScopes == null ? shared.provider.context(query, ctx)
                    : Optional.empty();
            if (nativeBlock.isPresent()) {
                return checkBudget(nativeBlock.get(), query.tokenBudget(), rid);
            }
            List<SearchResult> ranked = shared.provider.search(
                    query.toSearch(caps.limits().effectiveMaxSearchResults()), ctx);
            ranked.forEach(r -> checkOwner(r.memory(), query.userId(), rid));
            if (readScopes != null) {
                ranked = ranked.stream().filter(r -> readable(r.memory().scope())).toList();
            }
            return shared.assembler.assemble(ranked, query.tokenBudget());
        });
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
        gate(Verb.AUDIT);
        Validation.audit(query);
        String rid = newRequestId();
        List<AuditEntry> entries = guard(Verb.AUDIT, rid, () -> shared.provider.audit(query, ctx(rid, Verb.AUDIT)));
        return readScopes == null ? entries : entries.stream().filter(e -> readable(e.scope())).toList();
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
        return shared.assembler.tokens();
    }

    /**
     * Closes the provider and what the client created for it. Idempotent; views made with
     * {@link #withApp(String)} do not close anything.
     */
    @Override
    public void close() {
        if (view || !shared.closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable c : shared.owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "omp: error while closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    private Capabilities gate(Verb verb) {
        ensureOpen();
        Capabilities caps = capabilities();
        if (!caps.supports(verb)) {
            throw new UnsupportedCapabilityException(verb.wireName() + " is not supported by provider '"
                    + shared.providerId + "'", ErrorDetails.provider(shared.providerId));
        }
        return caps;
    }

    private static void byIdArgs(String id, String userId) {
        Validation.memoryId(id);
        if (userId != null) {
            Validation.userId(userId);
        }
    }

    private void ensureOpen() {
        if (shared.closed.get()) {
            throw new IllegalStateException("this Memory client is closed");
        }
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private CallContext ctx(String rid, Verb verb) {
        return new CallContext(rid, app, verb, null, readScopes);
    }

    private boolean readable(String scope) {
        return blog.openmem.spi.scope.ScopePattern.anyMatches(readScopes, scope);
    }

    private String newRequestId() {
        if (requestId != null) {
            return requestId;
        }
        return RequestIds.next();
    }

    private NotFoundException notFound(String id, String rid) {
        return new NotFoundException("memory '" + id + "' not found", new ErrorDetails(shared.providerId, rid, null,
                null));
    }

    /** A provider that returns another user's memory is broken: fail loudly, never leak. */
    private blog.openmem.spi.model.Memory checkOwner(blog.openmem.spi.model.Memory m, String userId, String rid) {
        if (userId != null && !userId.equals(m.userId())) {
            throw new ProviderException("provider '" + shared.providerId + "' returned a memory of another user",
                    new ErrorDetails(shared.providerId, rid, null, null));
        }
        return m;
    }

    private ContextBlock checkBudget(ContextBlock block, int budget, String rid) {
        int n = shared.assembler.tokens().count(block.text());
        if (n > budget || block.tokenCount() > budget) {
            throw new ProviderException("provider '" + shared.providerId + "' returned a context block of " + n
                    + " tokens over the budget of " + budget, new ErrorDetails(shared.providerId, rid, null, null));
        }
        return block;
    }

    private <T> T guard(Verb verb, String rid, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            throw failure(verb, rid, e);
        }
        if (result == null) {
            throw new ProviderException("provider '" + shared.providerId + "' returned nothing for "
                    + verb.wireName(), new ErrorDetails(shared.providerId, rid, null, null));
        }
        return result;
    }

    /** What a provider failure becomes: an OMP error with request id and provider, never a raw exception. */
    private OmpException failure(Verb verb, String rid, RuntimeException e) {
        if (e instanceof OmpException o) {
            return o.requestId().isPresent() && o.provider().isPresent() ? o : o.withContext(rid, shared.providerId);
        }
        return new ProviderException("provider '" + shared.providerId + "' failed unexpectedly during "
                + verb.wireName() + " (" + e.getClass().getSimpleName() + ")",
                new ErrorDetails(shared.providerId, rid, null, e));
    }

    /** Configures a {@link Memory}. */
    public static final class Builder {
        private String config;
        private MemoryProvider provider;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> embedderSettings = new LinkedHashMap<>();
        private String embedder;
        private ProviderRegistry registry;
        private ClassLoader classLoader;
        private Map<String, String> environment;
        private Properties systemProperties;
        private String tokenizer;
        private TokenCounter tokenCounter;
        private ContextRenderer renderer = ContextRenderer.lines();
        private String app;

        private Builder() {
        }

        /** @param v the config string; without one, {@code OMP_PROVIDER} is read @return this */
        public Builder config(String v) { this.config = v; return this; }

        /** @param v a provider instance to wrap instead of discovering one @return this */
        public Builder provider(MemoryProvider v) { this.provider = v; return this; }

        /**
         * @param key   a provider setting (may be a secret such as {@code api_key})
         * @param value its value
         * @return this
         */
        public Builder setting(String key, String value) { settings.put(key, value); return this; }

        /** @param v provider settings @return this */
        public Builder settings(Map<String, String> v) { settings.putAll(v); return this; }

        /** @param v the embedder id ({@code hash}, {@code openai}, {@code minilm}) @return this */
        public Builder embedder(String v) { this.embedder = v; return this; }

        /**
         * @param key   an embedder setting (e.g. {@code base_url}, {@code api_key})
         * @param value its value
         * @return this
         */
        public Builder embedderSetting(String key, String value) { embedderSettings.put(key, value); return this; }

        /** @param v the registry to use (default: discovered once per JVM) @return this */
        public Builder registry(ProviderRegistry v) { this.registry = v; return this; }

        /** @param v discover through this class loader (then the SPI's own) @return this */
        public Builder classLoader(ClassLoader v) { this.classLoader = v; return this; }

        /** @param v the environment to read instead of {@link System#getenv()} @return this */
        public Builder environment(Map<String, String> v) { this.environment = v; return this; }

        /** @param v the system properties to read instead of {@link System#getProperties()} @return this */
        public Builder systemProperties(Properties v) { this.systemProperties = v; return this; }

        /** @param v the jtokkit encoding for context blocks (default {@code cl100k_base}) @return this */
        public Builder tokenizer(String v) { this.tokenizer = v; return this; }

        /** @param v a custom token counter @return this */
        public Builder tokenCounter(TokenCounter v) { this.tokenCounter = v; return this; }

        /** @param v the context layout (default: one {@code - content [id]} line per memory) @return this */
        public Builder renderer(ContextRenderer v) { this.renderer = Objects.requireNonNull(v); return this; }

        /** @param v the app name recorded in audit entries @return this */
        public Builder app(String v) { this.app = v; return this; }

        /**
         * @return the client; the provider is created now, so bad configuration fails here
         * @throws ConfigurationException naming the problem
         */
        public Memory build() {
            ConfigResolver resolver = new ConfigResolver(
                    environment != null ? environment : System.getenv(),
                    systemProperties != null ? systemProperties : System.getProperties());
            String encoding = tokenizer != null ? tokenizer : resolver.global("tokenizer").orElse("cl100k_base");
            TokenCounter counter = tokenCounter != null ? tokenCounter : TokenCounter.bpe(encoding);
            ContextAssembler assembler = new ContextAssembler(counter, renderer);
            List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();
            if (provider != null) {
                owned.add(provider);
                String id = Optional.ofNullable(provider.capabilities().provider()).orElse("custom");
                return new Memory(new Shared(provider, id, assembler, owned), app, null, false);
            }
            String cfg = config != null ? config : resolver.global("provider").orElseThrow(() ->
                    new ConfigurationException("no provider configured: set OMP_PROVIDER (e.g. 'postgres://localhost/omp',"
                            + " 'mem0', 'http://localhost:8080') or pass a config string"));
            ProviderRegistry reg = registry != null ? registry
                    : classLoader != null ? ProviderRegistry.load(classLoader) : ProviderRegistry.getDefault();
            ConfigString cs = ConfigString.parse(cfg);
            MemoryProviderFactory factory = reg.providers().find(cs.providerId());
            ConfigResolver.Resolved r = resolver.resolve(factory.id(), factory.secretKeys(), factory.environmentAliases(), settings);
            String embedderId = embedder != null ? embedder
                    : Optional.ofNullable(r.settings().get("embedder")).or(() -> resolver.global("embedder")).orElse(null);
            Supplier<Embedder> embedders = new Supplier<>() {
                private Embedder created;

                @Override
                public synchronized Embedder get() {
                    if (created == null) {
                        created = EmbedderSelector.select(reg, resolver, embedderId, embedderSettings);
                        owned.add(created);
                    }
                    return created;
                }
            };
            MemoryProvider p = factory.create(new ProviderConfig(factory.id(), cs.target(), r.settings(), r.secrets(),
                    embedders));
            owned.add(0, p);
            return new Memory(new Shared(p, factory.id(), assembler, owned), app, null, false);
        }
    }
}
