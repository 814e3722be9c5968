package dev.dockerflow;

import java.io.Serial;

/**
 * A {@code version.json} exists but cannot be used: it is not a regular file, it is too
 * large, it cannot be read in time, or it is not a JSON object. {@code /__version__}
 * answers {@code 500} with a short JSON error and logs this exception, with its cause, at
 * ERROR. Its message is logged, never served: it may name the file's path, and the
 * library's providers never put the file's content in it (or in a cause).
 */
public class VersionException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong; may name a file path (it is logged, never served),
     *     should not quote the file's content
     */
    public VersionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong; may name a file path (it is logged, never served),
     *     should not quote the file's content
     * @param cause why; logged with its stack trace and message, so it too should not quote
     *     the file's content
     */
    public VersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
