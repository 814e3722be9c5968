package dev.dockerflow.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs a repeating failure at the given level the first time, then at DEBUG, so a
 * probe that calls every few seconds does not flood the log. {@link #reset()} arms
 * it again, for example once the failing thing works again. Thread-safe.
 */
public final class WarnThenDebugLogger {

    private final Logger logger;
    private final Level firstLevel;
    private final AtomicBoolean logged = new AtomicBoolean();

    /**
     * Creates a logger that logs the first failure at {@code firstLevel}.
     *
     * @param logger where to log
     * @param firstLevel level of the first report
     */
    public WarnThenDebugLogger(Logger logger, Level firstLevel) {
        this.logger = logger;
        this.firstLevel = firstLevel;
    }

    /**
     * Logs {@code message} with its cause: at the first level once, then at DEBUG.
     *
     * @param message what failed
     * @param cause why; may be {@code null}
     */
    public void log(String message, Throwable cause) {
        Level level = logged.compareAndSet(false, true) ? firstLevel : Level.DEBUG;
        if (logger.isLoggable(level)) {
            if (cause == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, cause);
            }
        }
    }

    /** Makes the next failure log at the first level again. */
    public void reset() {
        logged.set(false);
    }
}
