package dev.dockerflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts of one finished request, as written to the {@code request.summary} mozlog
 * line: when, how severe, and the {@code Fields} in their order ({@code agent},
 * {@code lang}, {@code method}, {@code path}, {@code code}, {@code errno}, {@code t},
 * {@code rid}, {@code uid}, then {@code querystring}, {@code msg} and {@code cut} when
 * present, then fields added by the application's hook). {@code cut} ({@code true}) marks a
 * request that was still running when its {@link Dockerflow} closed: the server stopped
 * before it ended. Immutable and thread-safe.
 */
public final class RequestSummary {

    /** The mozlog {@code Type} of summary lines. */
    public static final String TYPE = "request.summary";

    /** Syslog severity of a request that completed (informational). */
    public static final int SEVERITY_NORMAL = 6;

    /** Syslog severity of a request that raised (error). */
    public static final int SEVERITY_ERROR = 3;

    private final long timestampNanos;
    private final int severity;
    private final Map<String, Object> fields;

    private RequestSummary(long timestampNanos, int severity, Map<String, Object> fields) {
        this.timestampNanos = timestampNanos;
        this.severity = severity;
        this.fields = Collections.unmodifiableMap(fields);
    }

    static RequestSummary of(long timestampNanos, int severity, LinkedHashMap<String, Object> fields) {
        return new RequestSummary(timestampNanos, severity, fields);
    }

    /**
     * When the request finished, in nanoseconds since the epoch (mozlog {@code Timestamp}).
     *
     * @return epoch nanoseconds
     */
    public long timestampNanos() {
        return timestampNanos;
    }

    /**
     * The syslog severity: {@value #SEVERITY_NORMAL}, or {@value #SEVERITY_ERROR} when
     * the request raised.
     *
     * @return the severity
     */
    public int severity() {
        return severity;
    }

    /**
     * Every field, in the order of the line; values are strings and numbers (and
     * whatever scalars the application's hook added).
     *
     * @return an unmodifiable ordered map
     */
    public Map<String, Object> fields() {
        return fields;
    }

    /**
     * The HTTP method.
     *
     * @return the {@code method} field
     */
    public String method() {
        return (String) fields.get("method");
    }

    /**
     * The undecoded path without query.
     *
     * @return the {@code path} field
     */
    public String path() {
        return (String) fields.get("path");
    }

    /**
     * The status code sent.
     *
     * @return the {@code code} field
     */
    public int code() {
        return (Integer) fields.get("code");
    }

    /**
     * {@code 0}, or {@code 500} when the request raised.
     *
     * @return the {@code errno} field
     */
    public int errno() {
        return (Integer) fields.get("errno");
    }

    /**
     * Whole milliseconds the request took.
     *
     * @return the {@code t} field
     */
    public long durationMillis() {
        return (Long) fields.get("t");
    }

    /**
     * The request ID.
     *
     * @return the {@code rid} field
     */
    public String requestId() {
        return (String) fields.get("rid");
    }

    /**
     * The authenticated user, or an empty string.
     *
     * @return the {@code uid} field
     */
    public String userId() {
        return (String) fields.get("uid");
    }

    /**
     * The exception's message, when the request raised.
     *
     * @return the {@code msg} field
     */
    public Optional<String> errorMessage() {
        return Optional.ofNullable((String) fields.get("msg"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestSummary s && timestampNanos == s.timestampNanos
                && severity == s.severity && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampNanos, severity, fields);
    }

    @Override
    public String toString() {
        return "RequestSummary" + fields;
    }
}
