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
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof NotFoundException) {
                return Optional.<T>empty();
            }
            throw cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
        });
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
}
