package blog.openmem.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Slow bodies cannot starve the server: a request's body is gathered without a thread waiting on
 * the network ({@link EagerContentHandler}), and the request reaches the routes (and a pool
 * thread) only once the whole body is there. A body that has not fully arrived within the deadline
 * has its connection closed.
 *
 * <p>Why: a servlet reading a trickled body blocks one pool thread per connection, so a few hundred
 * clients sending a byte every few seconds held every thread (even {@code /healthz} hung). Jetty 12
 * keeps {@code HttpConfiguration}'s minimum data rate only as a setting (nothing enforces it), and
 * its idle timeout restarts with every byte, so neither bounds such a client.
 */
final class BodyDeadline extends Handler.Wrapper {
    private static final String TIMER = "omp.bodyDeadline";

    private final long maxBytes;
    private final long timeoutMs;
    /** Behind the eager reader; a request without a body goes straight to it (no reader, no hand-off). */
    private Arrived arrived;

    private BodyDeadline(long maxBytes, long timeoutMs) {
        this.maxBytes = maxBytes;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @param maxBytes  the body limit: larger bodies are answered 413 as they arrive
     * @param timeoutMs how long a body may take to arrive
     * @return the chain to insert in front of the routes
     */
    static Handler.Singleton chain(long maxBytes, long timeoutMs) {
        BodyDeadline outer = new BodyDeadline(maxBytes, timeoutMs);
        EagerContentHandler eager = new EagerContentHandler(
                new EagerContentHandler.RetainedContentLoaderFactory(maxBytes, -1, true));
        outer.setHandler(eager);
        outer.arrived = new Arrived();
        eager.setHandler(outer.arrived);
        return outer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            // Nothing to gather: the eager reader would still wait for the end of an empty body and
            // hand the request to another thread (measured: +0.15 ms at p50 and a longer tail for
            // searches under load).
            return arrived.handle(request, response, callback);
        }
        if (request.getLength() > maxBytes) {
            // Declared too large: answered before a byte of the body is read.
            Response.writeError(request, response, callback, 413);
            return true;
        }
        AtomicBoolean settled = new AtomicBoolean();
        Scheduler.Task task = request.getComponents().getScheduler().schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        request.setAttribute(TIMER, new Timer(settled, task));
        return super.handle(request, response, callback);
    }

    private static boolean hasBody(Request request) {
        long length = request.getLength();
        return length > 0 || (length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    private record Timer(AtomicBoolean settled, Scheduler.Task task) {
    }

    /** Behind the eager reader: the whole body is here, so the deadline no longer applies. */
    private static final class Arrived extends Handler.Wrapper {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (request.getAttribute(TIMER) instanceof Timer t) {
                if (!t.settled().compareAndSet(false, true)) {
                    // The deadline fired as the last byte came in: the connection is being closed.
                    callback.failed(new java.util.concurrent.TimeoutException("request body deadline passed"));
                    return true;
                }
                t.task().cancel();
                request.removeAttribute(TIMER);
            }
            return super.handle(request, response, callback);
        }
    }
}
