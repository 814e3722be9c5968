package dev.dockerflow.checks.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's log, kept in memory: a Flyway configured with
 * {@code .loggers(FlywayLogCapture.class.getName())} writes every line it logs at INFO or
 * above here, as {@code LEVEL logger: message}. Flyway's logging is set process-wide by
 * the Flyway loaded last, so a test reads it only after loading its own.
 */
public final class FlywayLogCapture implements LogCreator {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    /** Made by Flyway, by name. */
    public FlywayLogCapture() {
    }

    /**
     * Forgets what was logged so far.
     */
    public static void clear() {
        LINES.clear();
    }

    /**
     * What Flyway logged since the last {@link #clear()}, DEBUG lines left out.
     *
     * @return the lines
     */
    public static List<String> lines() {
        return List.copyOf(LINES);
    }

    @Override
    public Log createLogger(Class<?> type) {
        String logger = type.getName();
        return new Log() {
            @Override
            public void debug(String message) {
                // not written by default, so not counted
            }

            @Override
            public void info(String message) {
                LINES.add("INFO " + logger + ": " + message);
            }

            @Override
            public void warn(String message) {
                LINES.add("WARN " + logger + ": " + message);
            }

            @Override
            public void error(String message) {
                LINES.add("ERROR " + logger + ": " + message);
            }

            @Override
            public void error(String message, Exception e) {
                LINES.add("ERROR " + logger + ": " + message + ": " + e);
            }

            @Override
            public void notice(String message) {
                LINES.add("NOTICE " + logger + ": " + message);
            }
        };
    }
}
