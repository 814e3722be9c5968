package dev.dockerflow.helidon;

import dev.dockerflow.ActiveRequest;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * One request's Dockerflow state, from the filter to the moment the response is sent.
 *
 * <p>The error observer finds it without the request's context on the common path: Helidon
 * creates a request's context on first use, a cost every request would pay, so the exchange
 * goes there only when an exception escapes the filter (Helidon's outermost error handling
 * runs after the filter has returned). Exceptions of the routes are handled inside the
 * filter's call to the rest of the chain, on the same thread, where a thread-local names
 * the exchange.
 */
final class Exchange {

    private static final Object CONTEXT_KEY = Exchange.class;
    /** The exchange whose filter chain runs on this thread, while it runs. */
    private static final ThreadLocal<Exchange> IN_CHAIN = new ThreadLocal<>();

    private final ActiveRequest active;
    private final ServerRequest request;
    private final ServerResponse response;
    private volatile Throwable unhandled;

    private Exchange(ActiveRequest active, ServerRequest request, ServerResponse response) {
        this.active = active;
        this.request = request;
        this.response = response;
    }

    static Exchange start(ActiveRequest active, ServerRequest request, ServerResponse response) {
        Exchange exchange = new Exchange(active, request, response);
        response.whenSent(exchange::sent);
        return exchange;
    }

    /**
     * The filter hands the request on to the rest of the chain (and the route) on this thread.
     *
     * @return the exchange this one stands in front of (a request routed again from within
     *         another's chain), or {@code null}; give it back to {@link #leaveChain(Exchange)}
     */
    Exchange enterChain() {
        Exchange outer = IN_CHAIN.get();
        IN_CHAIN.set(this);
        return outer;
    }

    /** The rest of the chain returned or threw. */
    static void leaveChain(Exchange outer) {
        if (outer == null) {
            IN_CHAIN.remove();
        } else {
            IN_CHAIN.set(outer);
        }
    }

    /** An exception escapes the filter: Helidon's outer error handling, which runs next, finds the exchange in the context. */
    void escaped() {
        request.context().register(CONTEXT_KEY, this);
    }

    static Optional<Exchange> of(ServerRequest request) {
        Exchange inChain = IN_CHAIN.get();
        if (inChain != null && inChain.request == request) {
            return Optional.of(inChain);
        }
        return request.context().get(CONTEXT_KEY, Exchange.class);
    }

    /** An exception that no application handler took. */
    void unhandled(Throwable error) {
        this.unhandled = error;
    }

    /** The response went out: the core writes the summary with the status that was sent. */
    private void sent() {
        active.complete(response.status().code(), unhandled);
    }

    /** Helidon answers on the connection itself, bypassing this response. */
    void answeredByConnection(int status, Throwable error) {
        active.complete(status, error);
    }

    /** The connection failed before any response could be sent. */
    void lost(Throwable error) {
        active.complete(Status.INTERNAL_SERVER_ERROR_500.code(), error);
    }
}
