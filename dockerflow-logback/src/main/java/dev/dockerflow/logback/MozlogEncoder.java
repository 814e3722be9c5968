package dev.dockerflow.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestId;
import dev.dockerflow.RequestSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.event.KeyValuePair;

/**
 * A Logback encoder that writes each event as one mozlog JSON line, the format of
 * Dockerflow request summaries, so application logs and summaries share one shape:
 *
 * <pre>{@code
 * {"Timestamp":1764000000123456789,"Type":"com.acme.Orders","Logger":"my-app","Hostname":"web-1",
 *  "EnvVersion":"2.0","Severity":6,"Pid":4242,"Fields":{"msg":"order placed","rid":"6f1c..."}}
 * }</pre>
 *
 * <ul>
 *   <li>{@code Timestamp}: the event's time in nanoseconds since the epoch;
 *       {@code Type}: the name of the logger the event was logged on;
 *       {@code Logger}: the configured {@link #setLoggerName(String) loggerName};
 *       {@code Severity}: syslog, ERROR 3, WARN 4, INFO 6, DEBUG and TRACE 7.</li>
 *   <li>{@code Fields}: {@code msg} (the formatted message), then the MDC entries,
 *       then the SLF4J key-value pairs (a key-value pair replaces an MDC entry of the
 *       same name), then {@code rid}, then for an exception {@code error}
 *       ({@code class: message}) and {@code traceback} (the whole stack trace, its line
 *       breaks escaped). {@code msg}, {@code error} and {@code traceback} always come
 *       from the event, never from the MDC or key-value pairs. Values are strings,
 *       numbers and booleans; any other value is written as its {@code toString()}.</li>
 *   <li>{@code rid}: the MDC's {@code rid} when there is one, otherwise the request ID
 *       bound to the logging thread ({@link RequestId#current()}); absent outside a
 *       request. The thread's ID is read when the event is encoded: behind an
 *       {@code AsyncAppender}, which encodes on another thread, put the ID in the MDC.</li>
 *   <li>An event whose only argument is a {@link RequestSummary} (as
 *       {@link LogbackSummarySink} logs them) is written as the summary's line,
 *       exactly as the standard-output summary sink writes it.</li>
 * </ul>
 *
 * <p>Escaping follows {@link Mozlog}: whatever a message holds, the line is one line of
 * pure-ASCII JSON. Configure it in {@code logback.xml}:
 *
 * <pre>{@code
 * <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="dev.dockerflow.logback.MozlogEncoder">
 *     <loggerName>my-app</loggerName>
 *   </encoder>
 * </appender>
 * }</pre>
 *
 * <p>Thread-safe once configured: {@link #encode(ILoggingEvent)} keeps no state.
 */
public final class MozlogEncoder extends EncoderBase<ILoggingEvent> {

    /** The MDC key, and {@code Fields} member, that holds the request ID. */
    public static final String REQUEST_ID_KEY = "rid";

    private volatile Mozlog mozlog = Mozlog.create(defaultLoggerName());

    /**
     * An encoder whose {@code Logger} is {@code $DOCKERFLOW_LOGGER_NAME}, or
     * {@code Dockerflow} when that is unset. Logback calls this constructor for
     * {@code <encoder class="dev.dockerflow.logback.MozlogEncoder">}.
     */
    public MozlogEncoder() {
    }

    private static String defaultLoggerName() {
        String env = System.getenv(DockerflowConfig.LOGGER_NAME);
        return env == null || env.isBlank() ? Mozlog.DEFAULT_LOGGER_NAME : env.strip();
    }

    /**
     * Sets the mozlog {@code Logger} value, e.g. the service's name ({@code <loggerName>}
     * in {@code logback.xml}). Use the same value as the request summaries' logger name.
     *
     * @param loggerName the name; not blank
     * @throws IllegalArgumentException if blank
     */
    public void setLoggerName(String loggerName) {
        Objects.requireNonNull(loggerName, "loggerName");
        if (loggerName.isBlank()) {
            throw new IllegalArgumentException("loggerName must not be blank");
        }
        this.mozlog = Mozlog.create(loggerName.strip());
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
     * Nothing: mozlog streams have no header.
     *
     * @return {@code null}
     */
    @Override
    public byte[] headerBytes() {
        return null;
    }

    /**
     * Nothing: mozlog streams have no footer.
     *
     * @return {@code null}
     */
    @Override
    public byte[] footerBytes() {
        return null;
    }

    /**
     * The event as one mozlog line, ending with {@code \n}.
     *
     * @param event the event
     * @return the line's ASCII bytes
     */
    @Override
    public byte[] encode(ILoggingEvent event) {
        return asciiLine(format(event));
    }

    /**
     * The event as one mozlog line, without line break.
     *
     * @param event the event
     * @return the line
     */
    String format(ILoggingEvent event) {
        Mozlog format = this.mozlog;
        Object[] args = event.getArgumentArray();
        if (args != null && args.length == 1 && args[0] instanceof RequestSummary summary) {
            return format.format(summary);
        }
        return format.format(timestampNanos(event), event.getLoggerName(), severity(event.getLevel()), fields(event));
    }

    private static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        IThrowableProxy thrown = event.getThrowableProxy();
        int size = 2 + (mdc == null ? 0 : mdc.size()) + (pairs == null ? 0 : pairs.size()) + (thrown == null ? 0 : 2);
        Map<String, Object> fields = new LinkedHashMap<>(size * 4 / 3 + 1);
        String msg = event.getFormattedMessage();
        fields.put("msg", msg == null ? "" : msg);
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                putUnlessReserved(fields, e.getKey(), e.getValue());
            }
        }
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                putUnlessReserved(fields, pair.key, pair.value);
            }
        }
        if (!fields.containsKey(REQUEST_ID_KEY)) {
            RequestId.current().ifPresent(rid -> fields.put(REQUEST_ID_KEY, rid));
        }
        if (thrown != null) {
            String message = thrown.getMessage();
            fields.put("error", message == null ? thrown.getClassName() : thrown.getClassName() + ": " + message);
            fields.put("traceback", ThrowableProxyUtil.asString(thrown));
        }
        return fields;
    }

    private static void putUnlessReserved(Map<String, Object> fields, String key, Object value) {
        if (key == null || key.equals("msg") || key.equals("error") || key.equals("traceback")) {
            return;
        }
        fields.put(key, scalar(value));
    }

    private static Object scalar(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            default -> value.toString();
        };
    }

    static long timestampNanos(ILoggingEvent event) {
        Instant instant = event.getInstant();
        if (instant == null) {
            return event.getTimeStamp() * 1_000_000L;
        }
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static int severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    private static byte[] asciiLine(String line) {
        // mozlog lines are pure ASCII, so each char is one byte; one copy, newline included
        int n = line.length();
        byte[] bytes = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) line.charAt(i);
        }
        bytes[n] = '\n';
        return bytes;
    }
}
