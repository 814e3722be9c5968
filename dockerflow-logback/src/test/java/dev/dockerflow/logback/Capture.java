package dev.dockerflow.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Sends one logger of the application's Logback context through a MozlogEncoder into memory. */
final class Capture implements AutoCloseable {

    private final Logger logger;
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Capture(String loggerName, MozlogEncoder encoder) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger(loggerName);
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setName("capture-" + loggerName);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        logger.setAdditive(false);
    }

    Logger logger() {
        return logger;
    }

    String text() {
        return out.toString(StandardCharsets.US_ASCII);
    }

    List<String> lines() {
        String text = text();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("output does not end with a line break: " + text);
        }
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setLevel(null);
    }
}
