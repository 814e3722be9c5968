package dev.dockerflow;

import java.io.Serial;

/**
 * Raised on purpose by {@code /__error__} (when enabled), so an operator can see that
 * errors reach the error tracker and the logs. Frameworks turn it into a {@code 500}.
 */
public class ErrorEndpointException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The exception's message and the text logged at ERROR. */
    public static final String MESSAGE = "The __error__ endpoint was called";

    ErrorEndpointException() {
        super(MESSAGE);
    }
}
