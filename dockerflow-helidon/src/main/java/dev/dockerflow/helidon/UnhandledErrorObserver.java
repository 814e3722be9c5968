package dev.dockerflow.helidon;

import io.helidon.http.BadRequestException;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Registered for {@link Throwable}: reached only by exceptions no narrower handler
 * takes. Notes the exception on the request (the core decides whether it counts as
 * raised) and, unless the application gave its own last-resort handler, returns without
 * answering, which hands the exception back to Helidon's default error handling (500, or
 * the status of an {@link HttpException}).
 */
final class UnhandledErrorObserver implements ErrorHandler<Throwable> {

    private final ErrorHandler<Throwable> applicationHandler;

    UnhandledErrorObserver(ErrorHandler<Throwable> applicationHandler) {
        this.applicationHandler = applicationHandler;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res, Throwable throwable) {
        if (applicationHandler != null) {
            applicationHandler.handle(req, res, throwable);
            return;
        }
        Exchange.of(req).ifPresent(exchange -> {
            if (throwable instanceof BadRequestException rejected) {
                // Helidon answers this one on the connection itself, past the response: nothing to wait for
                exchange.answeredByConnection(rejected.status().code(), rejected);
            } else {
                exchange.unhandled(throwable);
            }
        });
        // not sending anything leaves the answer to Helidon's default handling
    }
}
