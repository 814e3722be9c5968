package dev.dockerflow;

import java.io.Serial;

/**
 * A {@code version.json} exists but cannot be used: it cannot be read, or it is not a
 * JSON object. {@code /__version__} answers {@code 500} with a short JSON error and logs
 * this exception, with its cause, at ERROR.
 */
public class VersionException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong; may name a file path (it is logged, never served)
     */
    public VersionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong; may name a file path (it is logged, never served)
     * @param cause why
     */
    public VersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
