package dev.dockerflow.servlet;

import java.io.Serial;
import java.util.OptionalInt;

/**
 * Stands in for a web framework's own HTTP exception (Spring's {@code ResponseStatusException},
 * say): plain servlets have none. The kit application's framework layer answers it with its
 * status and records it for the filter, which reads its status through
 * {@link DockerflowFilter#withFrameworkStatus}.
 */
final class KitHttpException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;

    KitHttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static OptionalInt statusOf(Throwable error) {
        return error instanceof KitHttpException http ? OptionalInt.of(http.status) : OptionalInt.empty();
    }
}
