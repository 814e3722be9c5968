package dev.dockerflow.spring.boot;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.logback.MozlogEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * Spring Boot structured logging in mozlog form, so the application's own log lines and the
 * request summaries share one shape, with the request ID ({@code rid}) on every line written
 * during a request:
 *
 * <pre>
 * logging.structured.format.console=dev.dockerflow.spring.boot.MozlogStructuredLogFormatter
 * </pre>
 *
 * <p>Each line is what {@link MozlogEncoder} writes; its {@code Logger} is
 * {@code dockerflow.logger-name} ({@code DOCKERFLOW_LOGGER_NAME}), else {@code Dockerflow}.
 * Logback only. Thread-safe.
 */
public final class MozlogStructuredLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

    private final MozlogEncoder encoder = new MozlogEncoder();

    /**
     * Called by Spring Boot, which finds the formatter by its class name.
     *
     * @param environment the application's environment, for the logger name
     */
    public MozlogStructuredLogFormatter(Environment environment) {
        String name = environment.getProperty(DockerflowProperties.PREFIX + ".logger-name");
        if (name != null && !name.isBlank()) {
            encoder.setLoggerName(name);
        } else if (environment.getProperty(DockerflowConfig.LOGGER_NAME) instanceof String variable && !variable.isBlank()) {
            encoder.setLoggerName(variable);
        }
    }

    @Override
    public String format(ILoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] formatAsBytes(ILoggingEvent event, java.nio.charset.Charset charset) {
        return encoder.encode(event);
    }
}
