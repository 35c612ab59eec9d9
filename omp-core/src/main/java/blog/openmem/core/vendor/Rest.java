package blog.openmem.core.vendor;

import blog.openmem.core.http.HttpResult;
import blog.openmem.spi.error.NotFoundException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small pieces every REST adapter needs: a 404 as "absent", and cancellation that reaches the wire. */
public final class Rest {
    private Rest() {
    }

    /**
     * @param call a call that throws {@link NotFoundException} for a missing resource
     * @param <T>  the result type
     * @return its result, or empty on not found
     */
    public static <T> Optional<T> absentOn404(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The asynchronous twin of {@link #absentOn404(Supplier)}.
     *
     * @param call a future that fails with {@link NotFoundException} for a missing resource
     * @param <T>  the result type
     * @return its result, or empty on not found; other failures pass through
     */
    public static <T> CompletableFuture<Optional<T>> absentOn404(CompletableFuture<T> call) {
        return call.handle((v, e) -> {
            if (e == null) {
                return Optional.ofNullable(v);
            }
            Throwable cause = cause(e);
            if (cause instanceof NotFoundException) {
                return Optional.<T>empty();
            }
            throw cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
        });
    }

    /**
     * @param error what a future completed with
     * @return the failure itself, not the {@code CompletionException} a dependent stage wraps it in
     */
    public static Throwable cause(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /**
     * Waits for a future, failing with what it failed with (an {@code OmpException} as itself, not
     * wrapped), for a provider that sends calls concurrently and then needs all their answers.
     *
     * @param f   the future
     * @param <T> the result type
     * @return its result
     */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (cause(e) instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * {@code thenApply} that passes a cancellation of the result back to the request, so that it
     * aborts the exchange in flight.
     *
     * @param request the request's future
     * @param f       the mapping
     * @param <T>     the result type
     * @return the mapped future
     */
    public static <T> CompletableFuture<T> mapped(CompletableFuture<HttpResult> request, Function<HttpResult, T> f) {
        CompletableFuture<T> out = request.thenApply(f);
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                request.cancel(true);
            }
        });
        return out;
    }

    /**
     * A request in flight whose answer is read by the thread that waits for it. A synchronous call
     * that fans out (reads of a page's documents) waits for every answer anyway; reading them there
     * keeps the work off the threads that complete the requests — on a JVM that sees one CPU, the
     * JDK client completes each asynchronous request on a new thread, and an answer parsed there
     * costs a fresh stack and allocation buffer besides the parse.
     *
     * @param request the request
     * @param read    what the answer becomes
     * @param <T>     the result type
     */
    public record Pending<T>(CompletableFuture<HttpResult> request, Function<HttpResult, T> read) {
        /**
         * @return the answer, read on this thread
         * @throws RuntimeException the request's failure, unwrapped
         */
        public T join() {
            return read.apply(Rest.join(request));
        }
    }

    /**
     * Closes what a provider holds when it closes, where a failure to close has nothing left to
     * release.
     *
     * @param held the HTTP client or other resource
     */
    public static void closeQuietly(AutoCloseable held) {
        try {
            held.close();
        } catch (Exception e) {
            // nothing held: the JDK HTTP client's threads are daemons and its connections close idle
        }
    }
}
