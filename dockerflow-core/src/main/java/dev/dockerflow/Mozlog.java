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

    /** Room for a typical summary line, so its buffer seldom grows. */
    private static final int LINE_CAPACITY = 512;
    /** What follows the {@code Timestamp} value up to the {@code Type} value of a summary line, included. */
    private static final String SUMMARY_TYPE = ",\"Type\":\"" + RequestSummary.TYPE + "\"";

    private final String loggerName;
    private final String hostname;
    private final long pid;
    /** What follows the {@code Type} value up to the {@code Severity} value, escaped once. */
    private final String afterType;
    /** What follows the {@code Severity} value up to the first field. */
    private final String afterSeverity;

    private Mozlog(String loggerName, String hostname, long pid) {
        this.loggerName = loggerName;
        this.hostname = hostname;
        this.pid = pid;
        StringBuilder b = new StringBuilder(",\"Logger\":");
        Json.string(b, loggerName);
        b.append(",\"Hostname\":");
        Json.string(b, hostname);
        b.append(",\"EnvVersion\":");
        Json.string(b, ENV_VERSION);
        this.afterType = b.append(",\"Severity\":").toString();
        this.afterSeverity = ",\"Pid\":" + pid + ",\"Fields\":{";
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
        StringBuilder out = new StringBuilder(LINE_CAPACITY);
        formatTo(out, summary);
        return out.toString();
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
        StringBuilder out = new StringBuilder(256 + fields.size() * 32);
        begin(out, timestampNanos, type, severity).addAll(fields).end();
        return out.toString();
    }

    /**
     * Appends the {@code request.summary} line of a request, without a line break, to a
     * buffer the caller owns (and may reuse), so nothing else is allocated.
     *
     * @param out where to append
     * @param summary the request's summary
     */
    public void formatTo(StringBuilder out, RequestSummary summary) {
        out.append("{\"Timestamp\":").append(summary.timestampNanos()).append(SUMMARY_TYPE).append(afterType)
                .append(summary.severity()).append(afterSeverity);
        summary.appendFields(out);
        out.append("}}");
    }

    /**
     * Starts a line in a buffer the caller owns: writes everything up to {@code Fields}
     * and returns a writer for the fields, for encoders that add fields one by one
     * without building a map. Call {@link FieldWriter#end()} to close the line.
     *
     * @param out where to append
     * @param timestampNanos nanoseconds since the epoch
     * @param type the {@code Type}
     * @param severity syslog severity, 0 to 7
     * @return the writer of the line's fields
     */
    public FieldWriter begin(StringBuilder out, long timestampNanos, String type, int severity) {
        // the same members as Json would write, with the parts that never change per line prepared once
        out.append("{\"Timestamp\":").append(timestampNanos).append(",\"Type\":");
        Json.string(out, type);
        out.append(afterType).append(severity).append(afterSeverity);
        return new FieldWriter(Json.into(out));
    }

    /**
     * Writes the {@code Fields} of one line, in the order added. The caller keeps names
     * unique. Not thread-safe: one line, one thread.
     */
    public static final class FieldWriter {
        private final Json json;

        private FieldWriter(Json json) {
            this.json = json;
        }

        /**
         * Adds a field: a string, number or boolean as such, {@code null} as JSON null,
         * anything else as its {@code toString()}.
         *
         * @param name the field name
         * @param value the value
         * @return this writer
         */
        public FieldWriter add(String name, Object value) {
            json.scalarMember(name, value);
            return this;
        }

        /**
         * Adds every entry of a map, in its order.
         *
         * @param fields the fields
         * @return this writer
         */
        public FieldWriter addAll(Map<String, ?> fields) {
            json.scalarMembers(fields);
            return this;
        }

        /** Closes {@code Fields} and the line. */
        public void end() {
            json.endObject().endObject();
        }
    }

    @Override
    public String toString() {
        return "Mozlog[" + loggerName + ", " + hostname + ", " + pid + "]";
    }
}
