package dev.dockerflow.logging;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler that writes each record as one mozlog line on
 * standard output, where Dockerflow wants logs (the JDK's {@code ConsoleHandler} writes
 * to standard error). The counterpart of python-dockerflow's {@code MozlogHandler}.
 *
 * <pre>
 * handlers=dev.dockerflow.logging.MozlogHandler
 * dev.dockerflow.logging.MozlogHandler.level=INFO
 * </pre>
 *
 * <p>Its formatter is a {@link MozlogFormatter} unless {@code logging.properties} names
 * another ({@code dev.dockerflow.logging.MozlogHandler.formatter}). Each line is written
 * whole and flushed, so lines from concurrent threads never interleave. Thread-safe.
 */
public final class MozlogHandler extends Handler {

    private final ReentrantLock lock = new ReentrantLock();

    /** A handler configured from {@code logging.properties}, writing mozlog lines to standard output. */
    public MozlogHandler() {
        LogManager manager = LogManager.getLogManager();
        String prefix = MozlogHandler.class.getName();
        String level = manager.getProperty(prefix + ".level");
        if (level != null) {
            setLevel(java.util.logging.Level.parse(level.strip()));
        }
        String formatter = manager.getProperty(prefix + ".formatter");
        setFormatter(formatter == null ? new MozlogFormatter() : instantiate(formatter.strip()));
    }

    private static java.util.logging.Formatter instantiate(String className) {
        try {
            return (java.util.logging.Formatter) ClassLoader.getSystemClassLoader().loadClass(className)
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(MozlogHandler.class.getName() + ".formatter=\"" + className
                    + "\" is not a java.util.logging.Formatter with a public no-argument constructor", e);
        }
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        byte[] bytes = (line.endsWith("\n") ? line : line + "\n").getBytes(StandardCharsets.UTF_8);
        PrintStream out = System.out;
        lock.lock();
        try {
            out.write(bytes, 0, bytes.length);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        System.out.flush();
    }

    /** Flushes; standard output itself stays open. */
    @Override
    public void close() {
        flush();
    }
}
