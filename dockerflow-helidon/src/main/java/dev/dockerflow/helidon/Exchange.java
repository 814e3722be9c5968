package dev.dockerflow.helidon;

import dev.dockerflow.ActiveRequest;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/** One request's Dockerflow state, from the filter to the moment the response is sent. */
final class Exchange {

    private static final Object CONTEXT_KEY = Exchange.class;

    private final ActiveRequest active;
    private final ServerResponse response;
    private volatile Throwable unhandled;

    private Exchange(ActiveRequest active, ServerResponse response) {
        this.active = active;
        this.response = response;
    }

    static Exchange start(ActiveRequest active, ServerRequest request, ServerResponse response) {
        Exchange exchange = new Exchange(active, response);
        request.context().register(CONTEXT_KEY, exchange);
        response.whenSent(exchange::sent);
        return exchange;
    }

    static Optional<Exchange> of(ServerRequest request) {
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
