package dev.dockerflow.logging;

import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} formatter that writes each record as one mozlog JSON
 * line ({@code \n}-terminated), the format of Dockerflow request summaries, for
 * services that log through JUL or {@link System.Logger}.
 *
 * <ul>
 *   <li>{@code Type}: the record's logger name; {@code Logger}: the configured name;
 *       {@code Severity}: syslog, SEVERE 3, WARNING 4, INFO 6, CONFIG and finer 7
 *       (custom levels by their number: 1000 and above 3, 900 and above 4, 800 and
 *       above 6, else 7).</li>
 *   <li>{@code Fields}: {@code msg} (the message, localized and with its parameters
 *       filled in), {@code rid} (the request ID bound to the logging thread, see
 *       {@link RequestId#current()}; absent outside a request), and for an exception
 *       {@code error} ({@code class: message}) and {@code traceback} (the whole stack
 *       trace, its line breaks escaped).</li>
 * </ul>
 *
 * <p>Configure it in {@code logging.properties}:
 *
 * <pre>{@code
 * handlers = java.util.logging.ConsoleHandler
 * java.util.logging.ConsoleHandler.formatter = dev.dockerflow.logging.MozlogFormatter
 * dev.dockerflow.logging.MozlogFormatter.loggerName = my-app
 * }</pre>
 *
 * <p>The {@code loggerName} property wins over {@code $DOCKERFLOW_LOGGER_NAME}, which
 * wins over {@code Dockerflow}. The request ID is read on the thread that formats:
 * the standard handlers format on the logging thread. Thread-safe.
 */
public final class MozlogFormatter extends Formatter {

    /** The {@code logging.properties} key of the {@code Logger} value. */
    public static final String LOGGER_NAME_PROPERTY = MozlogFormatter.class.getName() + ".loggerName";

    private final Mozlog mozlog;

    /**
     * A formatter configured from {@code logging.properties} and the environment (see
     * the class description). {@code java.util.logging} calls this constructor for a
     * handler's {@code formatter} property.
     */
    public MozlogFormatter() {
        this(Mozlog.create(configuredLoggerName()));
    }

    private MozlogFormatter(Mozlog mozlog) {
        this.mozlog = mozlog;
    }

    /**
     * A formatter with the given format, e.g. {@code Dockerflow#mozlog()} so log lines and
     * request summaries carry the same {@code Logger}, {@code Hostname} and {@code Pid}.
     *
     * @param mozlog the format
     * @return the formatter
     */
    public static MozlogFormatter of(Mozlog mozlog) {
        return new MozlogFormatter(Objects.requireNonNull(mozlog, "mozlog"));
    }

    private static String configuredLoggerName() {
        String property = LogManager.getLogManager().getProperty(LOGGER_NAME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return property.strip();
        }
        String env = System.getenv(DockerflowConfig.LOGGER_NAME);
        return env == null || env.isBlank() ? Mozlog.DEFAULT_LOGGER_NAME : env.strip();
    }

    /**
     * The mozlog {@code Logger} value.
     *
     * @return the logger name
     */
    public String loggerName() {
        return mozlog.loggerName();
    }

    /**
     * The record as one mozlog line, ending with {@code \n}.
     *
     * @param record the record
     * @return the line
     */
    @Override
    public String format(LogRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>(8);
        String msg = formatMessage(record);
        fields.put("msg", msg == null ? "" : msg);
        RequestId.current().ifPresent(rid -> fields.put("rid", rid));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            String message = thrown.getMessage();
            String type = thrown.getClass().getName();
            fields.put("error", message == null ? type : type + ": " + message);
            StringWriter trace = new StringWriter(1024);
            try (PrintWriter out = new PrintWriter(trace)) {
                thrown.printStackTrace(out);
            }
            fields.put("traceback", trace.toString());
        }
        Instant instant = record.getInstant();
        long nanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        String type = record.getLoggerName() == null ? "" : record.getLoggerName();
        return mozlog.format(nanos, type, severity(record.getLevel()), fields) + "\n";
    }

    static int severity(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (value >= Level.WARNING.intValue()) {
            return 4;
        }
        if (value >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    @Override
    public String toString() {
        return "MozlogFormatter[" + mozlog.loggerName() + "]";
    }
}
