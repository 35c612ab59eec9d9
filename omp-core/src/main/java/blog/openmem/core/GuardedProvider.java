package blog.openmem.core;

import blog.openmem.core.context.ContextAssembler;
import blog.openmem.spi.AsyncMemoryProvider;
import blog.openmem.spi.CallContext;
import blog.openmem.spi.MemoryProvider;
import blog.openmem.spi.error.ErrorDetails;
import blog.openmem.spi.error.InvalidRequestException;
import blog.openmem.spi.error.NotFoundException;
import blog.openmem.spi.error.OmpException;
import blog.openmem.spi.error.ProviderException;
import blog.openmem.spi.error.ProviderUnavailableException;
import blog.openmem.spi.error.UnsupportedCapabilityException;
import blog.openmem.spi.model.AddOutcome;
import blog.openmem.spi.model.AuditEntry;
import blog.openmem.spi.model.AuditQuery;
import blog.openmem.spi.model.Capabilities;
import blog.openmem.spi.model.ContextBlock;
import blog.openmem.spi.model.ContextQuery;
import blog.openmem.spi.model.Features;
import blog.openmem.spi.model.ImportedMemory;
import blog.openmem.spi.model.ListQuery;
import blog.openmem.spi.model.Memory;
import blog.openmem.spi.model.MemoryInput;
import blog.openmem.spi.model.MemoryPage;
import blog.openmem.spi.model.MemoryUpdate;
import blog.openmem.spi.model.SearchQuery;
import blog.openmem.spi.model.SearchResult;
import blog.openmem.spi.model.Validation;
import blog.openmem.spi.model.Verb;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider behind the checks every verb takes, once for the synchronous and the asynchronous
 * client: the client is open, the provider advertises the verb (its capabilities fetched once),
 * the arguments are valid — all before any I/O — then the call, whose failures become OMP errors
 * carrying the request id and provider, and whose results are checked (never null, never another
 * user's memory, never over the token budget) and confined to the caller's readable scopes.
 *
 * <p>Shared by a client and all its views; it owns the provider and what was created for it.
 */
final class GuardedProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedProvider.class);

    /** Health checks run here so a hung backend never holds a caller's thread past its deadline. */
    private static final ExecutorService HEALTH_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "omp-health");
        t.setDaemon(true);
        return t;
    });

    /** Users read per {@link MemoryProvider#listUsers} call. */
    private static final int USER_PAGE = 1000;

    private final MemoryProvider provider;
    private final String providerId;
    private final ContextAssembler assembler;
    private final List<AutoCloseable> owned;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Capabilities capabilities;

    /**
     * @param owned closed in order by {@link #close()}: the provider first, then what was made for it
     */
    GuardedProvider(MemoryProvider provider, String providerId, ContextAssembler assembler, List<AutoCloseable> owned) {
        this.provider = provider;
        this.providerId = providerId;
        this.assembler = assembler;
        this.owned = owned;
    }

    String providerId() {
        return providerId;
    }

    ContextAssembler assembler() {
        return assembler;
    }

    /** @return whether the provider has a native asynchronous path ({@link AsyncMemory} uses it) */
    boolean nativeAsync() {
        return provider instanceof AsyncMemoryProvider;
    }

    Capabilities capabilities(Caller caller) {
        Capabilities c = capabilities;
        if (c == null) {
            synchronized (this) {
                c = capabilities;
                if (c == null) {
                    ensureOpen();
                    c = guard(Verb.GET, caller.nextRequestId(), provider::capabilities);
                    capabilities = c;
                }
            }
        }
        return c;
    }

    Capabilities refreshCapabilities(Caller caller) {
        ensureOpen();
        Capabilities c = guard(Verb.GET, caller.nextRequestId(), provider::refreshCapabilities);
        synchronized (this) {
            capabilities = c;
        }
        return c;
    }

    Memory add(MemoryInput input, Caller caller) {
        return invoke(Verb.ADD, caller, caps -> Validation.input(input, caps.features().effectiveMaxContentLength()),
                ctx -> provider.add(input, ctx), (m, rid) -> m);
    }

    /** {@link #add} on the provider's native asynchronous path. */
    CompletableFuture<Memory> addAsync(MemoryInput input, Caller caller) {
        return invokeAsync(Verb.ADD, caller,
                caps -> Validation.input(input, caps.features().effectiveMaxContentLength()),
                ctx -> ((AsyncMemoryProvider) provider).addAsync(input, ctx), (m, rid) -> m);
    }

    /** @return the outcome, the memory checked to be the caller's when an earlier call had made it */
    AddOutcome addIdempotent(MemoryInput input, String idempotencyKey, Caller caller) {
        Capabilities caps = gate(Verb.ADD, caller);
        if (!Boolean.TRUE.equals(caps.features().extra().get("idempotent_add"))) {
            // Adding anyway would promise a deduplication that does not happen: a retry would store twice.
            throw new UnsupportedCapabilityException("Idempotency-Key: provider '" + providerId
                    + "' cannot deduplicate adds (no feature idempotent_add); use add", ErrorDetails.provider(
                    providerId));
        }
        Validation.input(input, caps.features().effectiveMaxContentLength());
        if (idempotencyKey == null || idempotencyKey.isEmpty() || idempotencyKey.length() > 200
                || !idempotencyKey.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            throw new InvalidRequestException(
                    "Idempotency-Key: must be 1 to 200 printable ASCII characters without spaces");
        }
        String rid = caller.nextRequestId();
        // Keys are per (user, app): another app's equal key is another request, never a replay of
        // a memory it may not be allowed to read. The app's name is length-prefixed so no pair of
        // app and key can spell another pair, and hashed so the stored key stays 64 printable
        // characters (a passthrough provider sends it on as a header).
        String app = caller.app();
        String stored = app == null ? idempotencyKey : sha256Hex(app.length() + ":" + app + ":" + idempotencyKey);
        CallContext ctx = caller.context(rid, Verb.ADD).withIdempotencyKey(stored);
        AddOutcome out = guard(Verb.ADD, rid, () -> provider.addIdempotent(input, ctx));
        return out.created() ? out : new AddOutcome(checkOwner(out.memory(), input.userId(), rid), false);
    }

    List<Memory> addAll(List<MemoryInput> inputs, Caller caller) {
        return batch(inputs, ctx -> provider.addAll(inputs, ctx), caller);
    }

    List<Memory> importAll(List<ImportedMemory> items, Caller caller) {
        return batch(items.stream().map(ImportedMemory::input).toList(), ctx -> provider.importAll(items, ctx), caller);
    }

    /** A batch add: every input valid before any I/O, nothing sent for none, one memory back per input. */
    private List<Memory> batch(List<MemoryInput> inputs, Function<CallContext, List<Memory>> call, Caller caller) {
        Capabilities caps = gate(Verb.ADD, caller);
        Validation.inputs(inputs, caps.features().effectiveMaxContentLength());
        if (inputs.isEmpty()) {
            return List.of();
        }
        String rid = caller.nextRequestId();
        return sameCount(guard(Verb.ADD, rid, () -> call.apply(caller.context(rid, Verb.ADD))), inputs.size(), rid);
    }

    long reembed(int batchSize, LongConsumer progress, Caller caller) {
        ensureOpen();
        if (batchSize < 1 || batchSize > 10_000) {
            throw new InvalidRequestException("batch_size: must be 1..10000");
        }
        return guard(Verb.UPDATE, caller.nextRequestId(),
                () -> provider.reembed(batchSize, progress == null ? n -> { } : progress));
    }

    void checkHealth(Duration timeout, Caller caller) {
        ensureOpen();
        String rid = caller.nextRequestId();
        CompletableFuture<Void> f = CompletableFuture.runAsync(provider::checkHealth, HEALTH_EXECUTOR);
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ProviderUnavailableException("provider '" + providerId
                    + "' did not answer within " + timeout.toMillis() + " ms", new ErrorDetails(providerId, rid,
                    null, null));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OmpException o) {
                throw o;
            }
            throw new ProviderUnavailableException("provider '" + providerId
                    + "' is unhealthy", new ErrorDetails(providerId, rid, null, e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted", ErrorDetails.provider(providerId));
        }
    }

    Stream<String> users(Caller caller) {
        ensureOpen();
        if (!capabilities(caller).features().has(Features.LIST_USERS)) {
            throw new UnsupportedCapabilityException("provider '" + providerId + "' cannot list its users",
                    ErrorDetails.provider(providerId));
        }
        return Pages.keys(USER_PAGE, after -> {
            String rid = caller.nextRequestId();
            return guard(Verb.LIST, rid, () -> provider.listUsers(after, USER_PAGE, caller.context(rid, Verb.LIST)));
        });
    }

    Stream<Memory> exportAll(String userId, Caller caller) {
        ensureOpen();
        Validation.userId(userId);
        Capabilities caps = capabilities(caller);
        if (!caps.supports(Verb.LIST) && !caps.features().has(Features.EXPORT)) {
            throw new UnsupportedCapabilityException("provider '" + providerId
                    + "' can neither list nor export a user's memories", ErrorDetails.provider(providerId));
        }
        Function<String, MemoryPage> page = cursor -> {
            String rid = caller.nextRequestId();
            MemoryPage p = guard(Verb.LIST, rid, () -> provider.exportPage(userId, cursor,
                    caller.context(rid, Verb.LIST)));
            p.items().forEach(m -> checkOwner(m, userId, rid));
            return p;
        };
        return Pages.memories(page.apply(null), page);
    }

    Memory get(String id, String userId, Caller caller) {
        return invoke(Verb.GET, caller, caps -> byIdArgs(id, userId), ctx -> provider.get(id, userId, ctx),
                (m, rid) -> checkOwner(m.orElseThrow(() -> notFound(id, rid)), userId, rid));
    }

    Optional<Memory> lookupFor(Verb purpose, String id, String userId, Caller caller) {
        gate(purpose, caller);
        gate(Verb.GET, caller);
        byIdArgs(id, userId);
        String rid = caller.nextRequestId();
        Optional<Memory> m = guard(purpose, rid, () -> provider.get(id, userId, caller.context(rid, purpose)));
        return m.filter(x -> userId == null || userId.equals(x.userId()));
    }

    Memory update(String id, String userId, MemoryUpdate update, Caller caller) {
        return invoke(Verb.UPDATE, caller, caps -> {
            byIdArgs(id, userId);
            Validation.update(update, caps.features().effectiveMaxContentLength());
        }, ctx -> provider.update(id, userId, update, ctx),
                (m, rid) -> checkOwner(m.orElseThrow(() -> notFound(id, rid)), userId, rid));
    }

    void delete(String id, String userId, Caller caller) {
        invoke(Verb.DELETE, caller, caps -> byIdArgs(id, userId), ctx -> provider.delete(id, userId, ctx),
                (deleted, rid) -> {
                    if (!deleted) {
                        throw notFound(id, rid);
                    }
                    return deleted;
                });
    }

    MemoryPage list(ListQuery query, Caller caller) {
        return invoke(Verb.LIST, caller, caps -> Validation.list(query), ctx -> provider.list(query, ctx),
                (page, rid) -> {
                    page.items().forEach(m -> checkOwner(m, query.userId(), rid));
                    return caller.readScopes() == null ? page
                            : new MemoryPage(caller.confine(page.items(), Memory::scope), page.nextCursor());
                });
    }

    List<SearchResult> search(SearchQuery query, Caller caller) {
        return invoke(Verb.SEARCH, caller, caps -> Validation.search(query, caps.limits().effectiveMaxSearchResults()),
                ctx -> provider.search(query, ctx), searchCheck(query, caller));
    }

    /**
     * {@link #search} on the provider's native asynchronous path: the same checks, the results of
     * another user refused and those outside the caller's scopes dropped alike.
     */
    CompletableFuture<List<SearchResult>> searchAsync(SearchQuery query, Caller caller) {
        return invokeAsync(Verb.SEARCH, caller,
                caps -> Validation.search(query, caps.limits().effectiveMaxSearchResults()),
                ctx -> ((AsyncMemoryProvider) provider).searchAsync(query, ctx), searchCheck(query, caller));
    }

    private BiFunction<List<SearchResult>, String, List<SearchResult>> searchCheck(SearchQuery query, Caller caller) {
        return (results, rid) -> {
            results.forEach(r -> checkOwner(r.memory(), query.userId(), rid));
            return caller.confine(results, r -> r.memory().scope());
        };
    }

    ContextBlock context(ContextQuery query, Caller caller) {
        Capabilities caps = gate(Verb.CONTEXT, caller);
        Validation.context(query);
        String rid = caller.nextRequestId();
        CallContext ctx = caller.context(rid, Verb.CONTEXT);
        return guard(Verb.CONTEXT, rid, () -> {
            // A provider's own block cannot be checked against read scopes: confined views assemble here.
            Optional<ContextBlock> nativeBlock = caller.readScopes() == null ? provider.context(query, ctx)
                    : Optional.empty();
            if (nativeBlock.isPresent()) {
                return checkBudget(nativeBlock.get(), query.tokenBudget(), rid);
            }
            List<SearchResult> ranked = provider.search(query.toSearch(caps.limits().effectiveMaxSearchResults()), ctx);
            ranked.forEach(r -> checkOwner(r.memory(), query.userId(), rid));
            return assembler.assemble(caller.confine(ranked, r -> r.memory().scope()), query.tokenBudget());
        });
    }

    List<AuditEntry> audit(AuditQuery query, Caller caller) {
        return invoke(Verb.AUDIT, caller, caps -> Validation.audit(query), ctx -> provider.audit(query, ctx),
                (entries, rid) -> caller.confine(entries, AuditEntry::scope));
    }

    /** Closes the provider and what was created for it, once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("omp: error while closing " + c.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Memory client is closed");
        }
    }

    /**
     * The sequence of every plain verb: gate, validate (both before any I/O), call the provider with
     * a fresh context, map its failure, then check what it returned.
     */
    private <T, R> R invoke(Verb verb, Caller caller, Consumer<Capabilities> validate, Function<CallContext, T> call,
                            BiFunction<T, String, R> check) {
        Capabilities caps = gate(verb, caller);
        validate.accept(caps);
        CallContext ctx = caller.context(caller.nextRequestId(), verb);
        return check.apply(guard(verb, ctx.requestId(), call, ctx), ctx.requestId());
    }

    /**
     * {@link #invoke} for the provider's native asynchronous path: gate and validation fail at once
     * (before any I/O), the rest as {@link #guardAsync} on completion.
     */
    private <T, R> CompletableFuture<R> invokeAsync(Verb verb, Caller caller, Consumer<Capabilities> validate,
                                                    Function<CallContext, CompletableFuture<T>> call,
                                                    BiFunction<T, String, R> check) {
        Capabilities caps = gate(verb, caller);
        validate.accept(caps);
        CallContext ctx = caller.context(caller.nextRequestId(), verb);
        return guardAsync(verb, ctx.requestId(), guard(verb, ctx.requestId(), call, ctx),
                value -> check.apply(value, ctx.requestId()));
    }

    private Capabilities gate(Verb verb, Caller caller) {
        ensureOpen();
        Capabilities caps = capabilities(caller);
        if (!caps.supports(verb)) {
            throw new UnsupportedCapabilityException(verb.wireName() + " is not supported by provider '"
                    + providerId + "'", ErrorDetails.provider(providerId));
        }
        return caps;
    }

    private static void byIdArgs(String id, String userId) {
        Validation.memoryId(id);
        if (userId != null) {
            Validation.userId(userId);
        }
    }

    private <T> T guard(Verb verb, String rid, Supplier<T> call) {
        return guard(verb, rid, Supplier::get, call);
    }

    /**
     * {@link #guard(Verb, String, Supplier)} of {@code call} applied to {@code arg}: the verbs pass
     * their call and its context as they are, rather than a lambda made per call around them.
     */
    private <A, T> T guard(Verb verb, String rid, Function<A, T> call, A arg) {
        T result;
        try {
            result = call.apply(arg);
        } catch (RuntimeException e) {
            throw failure(verb, rid, e);
        }
        if (result == null) {
            throw new ProviderException("provider '" + providerId + "' returned nothing for "
                    + verb.wireName(), new ErrorDetails(providerId, rid, null, null));
        }
        return result;
    }

    /**
     * {@link #guard} for futures: the same error mapping, then {@code check}, applied on completion.
     * Cancelling the returned future cancels the provider's (so the request is aborted); no
     * dependent stage sits between them, since a dependent's cancellation would not travel back.
     */
    private <T, R> CompletableFuture<R> guardAsync(Verb verb, String rid, CompletableFuture<T> call,
                                                   Function<T, R> check) {
        CompletableFuture<R> out = new CompletableFuture<>();
        call.whenComplete((value, error) -> {
            if (error == null) {
                try {
                    out.complete(check.apply(guard(verb, rid, () -> value)));
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
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

    /** What a provider failure becomes: an OMP error with request id and provider, never a raw exception. */
    private OmpException failure(Verb verb, String rid, RuntimeException e) {
        if (e instanceof OmpException o) {
            return o.requestId().isPresent() && o.provider().isPresent() ? o : o.withContext(rid, providerId);
        }
        return new ProviderException("provider '" + providerId + "' failed unexpectedly during "
                + verb.wireName() + " (" + e.getClass().getSimpleName() + ")",
                new ErrorDetails(providerId, rid, null, e));
    }

    private NotFoundException notFound(String id, String rid) {
        return new NotFoundException("memory '" + id + "' not found", new ErrorDetails(providerId, rid, null, null));
    }

    /** A provider that returns another user's memory is broken: fail loudly, never leak. */
    private Memory checkOwner(Memory m, String userId, String rid) {
        if (userId != null && !userId.equals(m.userId())) {
            throw new ProviderException("provider '" + providerId + "' returned a memory of another user",
                    new ErrorDetails(providerId, rid, null, null));
        }
        return m;
    }

    private List<Memory> sameCount(List<Memory> out, int inputs, String rid) {
        if (out.size() != inputs) {
            throw new ProviderException("provider '" + providerId + "' returned " + out.size()
                    + " memories for " + inputs + " inputs", new ErrorDetails(providerId, rid, null, null));
        }
        return out;
    }

    private ContextBlock checkBudget(ContextBlock block, int budget, String rid) {
        int n = assembler.tokens().count(block.text());
        if (n > budget || block.tokenCount() > budget) {
            throw new ProviderException("provider '" + providerId + "' returned a context block of " + n
                    + " tokens over the budget of " + budget, new ErrorDetails(providerId, rid, null, null));
        }
        return block;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
