package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns a finished request into its summary and hands it to the sink: the fields of
 * contract section 4, the application's hooks, and the one rule of what counts as
 * "raised" (contract section 7). Thread-safe.
 */
final class RequestSummaries {

    private static final Logger LOGGER = System.getLogger("dockerflow");
    private static final Set<String> STANDARD_FIELDS =
            Set.of("agent", "lang", "method", "path", "code", "errno", "t", "rid", "uid", "querystring", "msg", "cut");
    /** {@code msg} of a request cut off at shutdown. */
    static final String CUT_MESSAGE = "Cut off at shutdown: the server stopped before the request ended";
    /** {@code code} of a request cut off at shutdown: it ended without an answer from the application. */
    static final int CUT_STATUS = 500;
    private static final int MAX_HEADER_LENGTH = 1024;

    private final boolean logQuerystring;
    private final RequestSummarySink sink;
    private final Mozlog mozlog;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Function<RequestView, ? extends Map<String, ?>> extra;
    private final Function<RequestView, String> userId;
    private final WarnThenDebugLogger sinkFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);
    private final WarnThenDebugLogger hookFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);
    private final WarnThenDebugLogger extraNameClashes = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);

    RequestSummaries(boolean logQuerystring, RequestSummarySink sink, Mozlog mozlog, Clock clock, LongSupplier nanoTime,
            Function<RequestView, ? extends Map<String, ?>> extra, Function<RequestView, String> userId) {
        this.logQuerystring = logQuerystring;
        this.sink = sink;
        this.mozlog = mozlog;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.extra = extra;
        this.userId = userId;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    RequestSummarySink sink() {
        return sink;
    }

    /**
     * The exception a request raised, by contract section 7: one that escaped the
     * application, unless it is the framework's own HTTP exception with a status below 500.
     *
     * @return the raising exception, or {@code null} when the request did not raise
     */
    static Throwable raised(RequestView view, Throwable escaped) {
        if (escaped == null) {
            return null;
        }
        OptionalInt status = view.frameworkStatusOf(escaped);
        return status.isPresent() && status.getAsInt() < 500 ? null : escaped;
    }

    void write(RequestView view, String requestId, long startNanos, int status, Throwable raised) {
        hand(summary(view, requestId, startNanos, status, raised, false));
    }

    /**
     * Writes the summary of a request the server gave up on at shutdown: it ended without an
     * answer from the application, so it reads as one that raised ({@code code} and
     * {@code errno} 500, severity 3, {@code msg}), with {@code "cut": true} saying why.
     */
    void writeCut(RequestView view, String requestId, long startNanos) {
        RequestSummary summary;
        try {
            summary = summary(view, requestId, startNanos, CUT_STATUS, null, true);
        } catch (RuntimeException e) {
            // the framework may have torn the request down; its line is lost, the others are not
            sinkFailures.log("The summary of request " + requestId + ", cut off at shutdown, could not be made", e);
            return;
        }
        hand(summary);
    }

    private void hand(RequestSummary summary) {
        try {
            sink.write(summary, mozlog);
            sinkFailures.reset();
        } catch (RuntimeException e) {
            sinkFailures.log("Request summary sink " + sink + " failed; the response is unaffected", e);
        }
    }

    private RequestSummary summary(RequestView view, String requestId, long startNanos, int status, Throwable raised,
            boolean cut) {
        long millis = Math.max(0, nanoTime.getAsLong() - startNanos) / 1_000_000L;
        boolean failed = raised != null || cut;
        String querystring = logQuerystring ? view.rawQuery().map(RequestSummaries::percentDecode).orElse("") : null;
        String message = null;
        if (raised != null) {
            message = raised.getMessage() != null ? raised.getMessage() : raised.getClass().getName();
        } else if (cut) {
            message = CUT_MESSAGE;
        }
        String agent = cut(view.header("User-Agent").orElse(""));
        String lang = cut(view.header("Accept-Language").orElse(""));
        String uid = userIdOf(view);
        Map<String, ?> added = extraOf(view);
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return RequestSummary.of(timestamp, failed ? RequestSummary.SEVERITY_ERROR : RequestSummary.SEVERITY_NORMAL,
                agent, lang, view.method(), withoutQuery(view.rawPath()), status, failed ? 500 : 0, millis, requestId,
                uid, querystring, message, cut, added);
    }

    private String userIdOf(RequestView view) {
        try {
            String uid = userId.apply(view);
            return uid == null ? "" : cut(uid);
        } catch (RuntimeException e) {
            hookFailures.log("The summary uid hook failed; uid is left empty", e);
            return "";
        }
    }

    /** The hook's fields, without null names and standard names; {@code Map.of()} when none. */
    private Map<String, ?> extraOf(RequestView view) {
        Map<String, ?> added;
        try {
            added = extra.apply(view);
        } catch (RuntimeException e) {
            hookFailures.log("The summary extra-fields hook failed; the summary is written without them", e);
            return Map.of();
        }
        if (added == null || added.isEmpty()) {
            return Map.of();
        }
        LinkedHashMap<String, Object> kept = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : added.entrySet()) {
            if (e.getKey() == null) {
                continue;
            }
            if (STANDARD_FIELDS.contains(e.getKey())) {
                extraNameClashes.log("The summary extra-fields hook returned '" + e.getKey()
                        + "', a standard summary field; the extra value is ignored", null);
                continue;
            }
            kept.put(e.getKey(), e.getValue());
        }
        return kept.isEmpty() ? Map.of() : kept;
    }

    private static String withoutQuery(String path) {
        if (path == null) {
            return "";
        }
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    static String cut(String value) {
        if (value.length() <= MAX_HEADER_LENGTH) {
            return value;
        }
        int end = MAX_HEADER_LENGTH;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end);
    }

    /** Percent-decodes as UTF-8; a malformed escape stays as written, malformed bytes become U+FFFD. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 3;
            } else {
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < raw.length() && Character.isLowSurrogate(raw.charAt(end))) {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
