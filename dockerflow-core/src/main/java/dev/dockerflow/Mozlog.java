package dev.dockerflow;

import dev.dockerflow.internal.Host;
import dev.dockerflow.internal.Json;
import java.util.Map;
import java.util.Objects;

/**
 * The mozlog JSON format: one object per line with {@code Timestamp},
 * {@code Type}, {@code Logger}, {@code Hostname}, {@code EnvVersion},
 * {@code Severity}, {@code Pid} and {@code Fields}.
 *
 * <p>Whatever the field values hold (control characters, quotes, backslashes,
 * non-ASCII, lone surrogates), a line is one line of valid, pure-ASCII JSON.
 * Immutable and thread-safe.
 */
public final class Mozlog {

    /** The default {@code Logger} value. */
    public static final String DEFAULT_LOGGER_NAME = "Dockerflow";

    /** The mozlog version this format follows. */
    public static final String ENV_VERSION = "2.0";

    private final String loggerName;
    private final String hostname;
    private final long pid;

    private Mozlog(String loggerName, String hostname, long pid) {
        this.loggerName = loggerName;
        this.hostname = hostname;
        this.pid = pid;
    }

    /**
     * The format with this host's name and this process's id.
     *
     * @param loggerName the {@code Logger} value, e.g. the service's name
     * @return the format
     */
    public static Mozlog create(String loggerName) {
        return create(loggerName, Host.name(), Host.pid());
    }

    /**
     * The format with the given host name and process id.
     *
     * @param loggerName the {@code Logger} value
     * @param hostname the {@code Hostname} value
     * @param pid the {@code Pid} value
     * @return the format
     */
    public static Mozlog create(String loggerName, String hostname, long pid) {
        return new Mozlog(Objects.requireNonNull(loggerName, "loggerName"),
                Objects.requireNonNull(hostname, "hostname"), pid);
    }

    /**
     * The {@code Logger} value.
     *
     * @return the logger name
     */
    public String loggerName() {
        return loggerName;
    }

    /**
     * The {@code Hostname} value.
     *
     * @return the host name
     */
    public String hostname() {
        return hostname;
    }

    /**
     * The {@code Pid} value.
     *
     * @return the process id
     */
    public long pid() {
        return pid;
    }

    /**
     * The {@code request.summary} line of a request, without a line break.
     *
     * @param summary the request's summary
     * @return one line of JSON
     */
    public String format(RequestSummary summary) {
        return format(summary.timestampNanos(), RequestSummary.TYPE, summary.severity(), summary.fields());
    }

    /**
     * Any mozlog line, without a line break. {@code Fields} values should be strings,
     * numbers or booleans (mozlog forbids nesting); any other value is written as its
     * {@code toString()}.
     *
     * @param timestampNanos nanoseconds since the epoch
     * @param type the {@code Type}, e.g. a logger name
     * @param severity syslog severity, 0 (emergency) to 7 (debug)
     * @param fields the {@code Fields}, in order
     * @return one line of JSON
     */
    public String format(long timestampNanos, String type, int severity, Map<String, ?> fields) {
        Json json = Json.create(256 + fields.size() * 32);
        json.beginObject()
                .member("Timestamp", timestampNanos)
                .member("Type", type)
                .member("Logger", loggerName)
                .member("Hostname", hostname)
                .member("EnvVersion", ENV_VERSION)
                .member("Severity", severity)
                .member("Pid", pid)
                .beginObject("Fields")
                .scalarMembers(fields)
                .endObject()
                .endObject();
        return json.toString();
    }

    @Override
    public String toString() {
        return "Mozlog[" + loggerName + ", " + hostname + ", " + pid + "]";
    }
}
