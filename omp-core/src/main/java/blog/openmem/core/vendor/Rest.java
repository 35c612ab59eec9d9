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
