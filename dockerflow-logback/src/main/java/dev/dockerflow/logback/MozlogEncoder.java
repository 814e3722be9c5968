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

    private static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(512));
    private static final int MAX_KEPT_BUFFER = 64 * 1024;


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
        StringBuilder out = BUFFER.get();
        out.setLength(0);
        formatTo(out, event);
        // mozlog lines are pure ASCII, so each char is one byte; one array, newline included
        int n = out.length();
        byte[] bytes = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) out.charAt(i);
        }
        bytes[n] = '\n';
        if (out.capacity() > MAX_KEPT_BUFFER) {
            BUFFER.remove(); // one huge event must not pin a huge buffer to the thread
        }
        return bytes;
    }

    private void formatTo(StringBuilder out, ILoggingEvent event) {
        Mozlog format = this.mozlog;
        Object[] args = event.getArgumentArray();
        if (args != null && args.length == 1 && args[0] instanceof RequestSummary summary) {
            format.formatTo(out, summary);
            return;
        }
        Mozlog.FieldWriter fields = format.begin(out, timestampNanos(event), event.getLoggerName(),
                severity(event.getLevel()));
        String msg = event.getFormattedMessage();
        fields.add("msg", msg == null ? "" : msg);
        Map<String, String> mdc = event.getMDCPropertyMap();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        boolean hasRequestId = false;
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                String key = e.getKey();
                // a key-value pair of the same name wins over the MDC entry
                if (!isReserved(key) && !inPairs(pairs, key, 0)) {
                    fields.add(key, scalar(e.getValue()));
                    hasRequestId |= key.equals(REQUEST_ID_KEY);
                }
            }
        }
        if (pairs != null) {
            for (int i = 0; i < pairs.size(); i++) {
                KeyValuePair pair = pairs.get(i);
                // names stay unique: of repeated pairs, the last wins
                if (!isReserved(pair.key) && !inPairs(pairs, pair.key, i + 1)) {
                    fields.add(pair.key, scalar(pair.value));
                    hasRequestId |= pair.key.equals(REQUEST_ID_KEY);
                }
            }
        }
        if (!hasRequestId) {
            String rid = RequestId.current().orElse(null);
            if (rid != null) {
                fields.add(REQUEST_ID_KEY, rid);
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            String message = thrown.getMessage();
            fields.add("error", message == null ? thrown.getClassName() : thrown.getClassName() + ": " + message);
            fields.add("traceback", ThrowableProxyUtil.asString(thrown));
        }
        fields.end();
    }

    private static boolean isReserved(String key) {
        return key == null || key.equals("msg") || key.equals("error") || key.equals("traceback");
    }

    private static boolean inPairs(List<KeyValuePair> pairs, String key, int from) {
        if (pairs == null) {
            return false;
        }
        for (int i = from; i < pairs.size(); i++) {
            if (key.equals(pairs.get(i).key)) {
                return true;
            }
        }
        return false;
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
}
