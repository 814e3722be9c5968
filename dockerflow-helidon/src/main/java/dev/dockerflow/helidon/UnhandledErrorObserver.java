package dev.dockerflow.helidon;

import io.helidon.http.HttpException;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.Serial;

/**
 * Registered for {@link Throwable}: reached only by exceptions no narrower handler
 * takes. Notes a server error on the request and, unless the application gave its own
 * last-resort handler, hands the exception back to Helidon's default error handling
 * (which answers 500, or the status of an {@link HttpException}).
 */
final class UnhandledErrorObserver implements ErrorHandler<Throwable> {

    private static final HandBack HAND_BACK = new HandBack();

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
        if (isServerError(throwable)) {
            Exchange.of(req).ifPresent(exchange -> exchange.unhandled(throwable));
        }
        // Helidon treats a handler that throws as one that did not handle: its default answers.
        throw HAND_BACK;
    }

    static boolean isServerError(Throwable throwable) {
        return !(throwable instanceof HttpException http) || http.status().code() >= 500;
    }

    /** Thrown to give the exception back to Helidon's default handling; carries no stack. */
    private static final class HandBack extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        HandBack() {
            super("handled by Helidon's default error handling", null, false, false);
        }
    }
}
