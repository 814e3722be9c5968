package dev.dockerflow.logback;

import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestSummarySink;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends request summaries through Logback, on the {@value RequestSummary#TYPE} logger,
 * so summaries and application logs share one pipeline (appenders, filters, levels).
 *
 * <p>Each summary is one event at INFO, or ERROR when the request raised, whose only
 * argument is the {@link RequestSummary}. {@link MozlogEncoder} writes such an event as
 * the summary's line, identical to the line of {@link RequestSummarySink#stdout()}
 * when both use the same mozlog {@code Logger} name; other layouts see the summary's
 * {@code toString()} as the message. Switching the {@code request.summary} logger off
 * switches summaries off.
 *
 * <p>Thread-safe.
 */
public final class LogbackSummarySink implements RequestSummarySink {

    private final Logger logger;

    private LogbackSummarySink(Logger logger) {
        this.logger = logger;
    }

    /**
     * A sink that logs on the {@value RequestSummary#TYPE} logger of the application's
     * logging setup.
     *
     * @return the sink
     */
    public static LogbackSummarySink create() {
        return new LogbackSummarySink(LoggerFactory.getLogger(RequestSummary.TYPE));
    }

    /**
     * A sink that logs on the given logger.
     *
     * @param logger the logger, e.g. one of a separate Logback context
     * @return the sink
     */
    public static LogbackSummarySink create(Logger logger) {
        return new LogbackSummarySink(Objects.requireNonNull(logger, "logger"));
    }

    /**
     * Logs the summary; the encoder, not {@code mozlog}, decides the line's format.
     *
     * @param summary the finished request's summary
     * @param mozlog ignored: the appender's {@link MozlogEncoder} holds the format
     */
    @Override
    public void write(RequestSummary summary, Mozlog mozlog) {
        if (summary.severity() <= RequestSummary.SEVERITY_ERROR) {
            logger.error("{}", summary);
        } else {
            logger.info("{}", summary);
        }
    }

    @Override
    public String toString() {
        return "LogbackSummarySink[" + logger.getName() + "]";
    }
}
