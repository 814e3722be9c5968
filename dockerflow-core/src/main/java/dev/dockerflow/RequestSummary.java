package dev.dockerflow;

import dev.dockerflow.internal.Json;
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
    // the standard fields, kept as such so that writing a line needs neither a map nor boxing
    private final String agent;
    private final String lang;
    private final String method;
    private final String path;
    private final int code;
    private final int errno;
    private final long durationMillis;
    private final String requestId;
    private final String userId;
    /** {@code null} when the line has no {@code querystring}. */
    private final String querystring;
    /** {@code null} when the line has no {@code msg}. */
    private final String message;
    private final boolean cut;
    /** The application's fields, none named as a standard field; {@code Map.of()} when none. */
    private final Map<String, ?> extra;
    /** {@link #fields()}, made on first use. */
    private volatile Map<String, Object> fields;

    private RequestSummary(long timestampNanos, int severity, String agent, String lang, String method, String path,
            int code, int errno, long durationMillis, String requestId, String userId, String querystring,
            String message, boolean cut, Map<String, ?> extra) {
        this.timestampNanos = timestampNanos;
        this.severity = severity;
        this.agent = agent;
        this.lang = lang;
        this.method = method;
        this.path = path;
        this.code = code;
        this.errno = errno;
        this.durationMillis = durationMillis;
        this.requestId = requestId;
        this.userId = userId;
        this.querystring = querystring;
        this.message = message;
        this.cut = cut;
        this.extra = extra;
    }

    static RequestSummary of(long timestampNanos, int severity, String agent, String lang, String method, String path,
            int code, int errno, long durationMillis, String requestId, String userId, String querystring,
            String message, boolean cut, Map<String, ?> extra) {
        return new RequestSummary(timestampNanos, severity, agent, lang, method, path, code, errno, durationMillis,
                requestId, userId, querystring, message, cut, extra);
    }

    /**
     * Appends the {@code Fields} members, in the order of the line, without the braces:
     * the standard ones with their names written once as constants, then the
     * application's.
     */
    void appendFields(StringBuilder out) {
        out.append("\"agent\":");
        Json.string(out, agent);
        out.append(",\"lang\":");
        Json.string(out, lang);
        out.append(",\"method\":");
        Json.string(out, method);
        out.append(",\"path\":");
        Json.string(out, path);
        out.append(",\"code\":").append(code)
                .append(",\"errno\":").append(errno)
                .append(",\"t\":").append(durationMillis)
                .append(",\"rid\":");
        Json.string(out, requestId);
        out.append(",\"uid\":");
        Json.string(out, userId);
        if (querystring != null) {
            out.append(",\"querystring\":");
            Json.string(out, querystring);
        }
        if (message != null) {
            out.append(",\"msg\":");
            Json.string(out, message);
        }
        if (cut) {
            out.append(",\"cut\":true");
        }
        if (!extra.isEmpty()) {
            Json.into(out, true).scalarMembers(extra);
        }
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
        Map<String, Object> made = fields;
        if (made == null) {
            LinkedHashMap<String, Object> all = new LinkedHashMap<>();
            all.put("agent", agent);
            all.put("lang", lang);
            all.put("method", method);
            all.put("path", path);
            all.put("code", code);
            all.put("errno", errno);
            all.put("t", durationMillis);
            all.put("rid", requestId);
            all.put("uid", userId);
            if (querystring != null) {
                all.put("querystring", querystring);
            }
            if (message != null) {
                all.put("msg", message);
            }
            if (cut) {
                all.put("cut", true);
            }
            all.putAll(extra);
            made = Collections.unmodifiableMap(all);
            fields = made;
        }
        return made;
    }

    /**
     * The HTTP method.
     *
     * @return the {@code method} field
     */
    public String method() {
        return method;
    }

    /**
     * The undecoded path without query.
     *
     * @return the {@code path} field
     */
    public String path() {
        return path;
    }

    /**
     * The status code sent.
     *
     * @return the {@code code} field
     */
    public int code() {
        return code;
    }

    /**
     * {@code 0}, or {@code 500} when the request raised.
     *
     * @return the {@code errno} field
     */
    public int errno() {
        return errno;
    }

    /**
     * Whole milliseconds the request took.
     *
     * @return the {@code t} field
     */
    public long durationMillis() {
        return durationMillis;
    }

    /**
     * The request ID.
     *
     * @return the {@code rid} field
     */
    public String requestId() {
        return requestId;
    }

    /**
     * The authenticated user, or an empty string.
     *
     * @return the {@code uid} field
     */
    public String userId() {
        return userId;
    }

    /**
     * The exception's message, when the request raised.
     *
     * @return the {@code msg} field
     */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestSummary s && timestampNanos == s.timestampNanos
                && severity == s.severity && fields().equals(s.fields());
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampNanos, severity, fields());
    }

    @Override
    public String toString() {
        return "RequestSummary" + fields();
    }
}
