package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Dockerflow for one service: the answers of {@code /__lbheartbeat__},
 * {@code /__version__}, {@code /__heartbeat__} and {@code /__error__}, and the request
 * summary of every request. Adapters map an HTTP request to a call here and copy the
 * {@link DockerflowResponse} back; they decide nothing the contract specifies.
 *
 * <pre>{@code
 * Dockerflow dockerflow = Dockerflow.builder()
 *         .check("database", () -> List.of())
 *         .versionProvider(VersionProvider.fromClasspath("version.json"))
 *         .build();
 * }</pre>
 *
 * <p>Built once, shared by all requests; thread-safe.
 */
public final class Dockerflow {

    private static final Logger LOGGER = System.getLogger("dockerflow");
    private static final Set<String> SUMMARY_FIELDS =
            Set.of("agent", "lang", "method", "path", "code", "errno", "t", "rid", "uid", "querystring", "msg");
    private static final int MAX_HEADER_LENGTH = 1024;

    private static final DockerflowResponse LBHEARTBEAT =
            DockerflowResponse.of(200, new byte[0], "Cache-Control", "no-store");
    private static final DockerflowResponse VERSION_NOT_FOUND =
            DockerflowResponse.text(404, "version.json not found");
    private static final DockerflowResponse VERSION_BROKEN = DockerflowResponse.of(500,
            "{\"error\":\"version.json could not be read as a JSON object\"}".getBytes(StandardCharsets.US_ASCII),
            "Content-Type", DockerflowResponse.APPLICATION_JSON);

    private final DockerflowConfig config;
    private final Heartbeat heartbeat;
    private final VersionProvider versionProvider;
    private final RequestSummarySink summarySink;
    private final Mozlog mozlog;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Function<RequestView, ? extends Map<String, ?>> summaryExtra;
    private final Function<RequestView, String> userId;
    private final WarnThenDebugLogger versionFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.ERROR);
    private final WarnThenDebugLogger sinkFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);
    private final WarnThenDebugLogger hookFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);
    private final WarnThenDebugLogger extraNameClashes = new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING);

    private Dockerflow(Builder b) {
        this.config = b.config != null ? b.config : DockerflowConfig.fromEnvironment();
        this.nanoTime = b.nanoTime;
        this.clock = b.clock;
        this.heartbeat = Heartbeat.create(b.checks.build(), config.checkTimeout(), Duration.ZERO,
                config.silencedChecks(), b.listeners, b.nanoTime);
        this.versionProvider = b.versionProvider != null ? b.versionProvider : VersionProvider.fromAppDir(config.appDir());
        this.summarySink = b.summarySink;
        this.mozlog = b.mozlog != null ? b.mozlog : Mozlog.create(config.loggerName());
        this.summaryExtra = b.summaryExtra;
        this.userId = b.userId;
    }

    /**
     * Starts a Dockerflow read from the environment, with no checks.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration in force.
     *
     * @return the configuration
     */
    public DockerflowConfig config() {
        return config;
    }

    /**
     * The mozlog format of this service's lines.
     *
     * @return the format
     */
    public Mozlog mozlog() {
        return mozlog;
    }

    /**
     * The heartbeat runner, for callers that want the report rather than an HTTP answer.
     *
     * @return the heartbeat
     */
    public Heartbeat heartbeatRunner() {
        return heartbeat;
    }

    /**
     * Answers a request if it is for a Dockerflow endpoint: the endpoint's answer for
     * its methods ({@code HEAD} without body), {@code 405} with {@code Allow} for other
     * methods. {@code /__error__} counts only when enabled.
     *
     * @param method the HTTP method
     * @param path the request path, without query
     * @return the answer, or empty when the path is not a Dockerflow endpoint
     * @throws ErrorEndpointException for {@code GET /__error__} when enabled
     */
    public Optional<DockerflowResponse> handle(String method, String path) {
        Optional<Endpoint> endpoint = Endpoint.forPath(path);
        if (endpoint.isEmpty() || (endpoint.get() == Endpoint.ERROR && !config.errorEndpointEnabled())) {
            return Optional.empty();
        }
        return Optional.of(answer(endpoint.get(), method));
    }

    /**
     * Answers a request for an endpoint: its answer for its methods ({@code HEAD}
     * without body), {@code 405} with {@code Allow} for any other method.
     *
     * @param endpoint the endpoint
     * @param method the HTTP method
     * @return the answer
     * @throws ErrorEndpointException for {@code GET} on {@link Endpoint#ERROR}
     */
    public DockerflowResponse answer(Endpoint endpoint, String method) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(method, "method");
        if (!endpoint.methods().contains(method)) {
            return methodNotAllowed(endpoint);
        }
        DockerflowResponse response = switch (endpoint) {
            case LBHEARTBEAT -> lbheartbeat();
            case VERSION -> version();
            case HEARTBEAT -> heartbeat();
            case ERROR -> throw error();
        };
        return method.equals("HEAD") ? response.withoutBody() : response;
    }

    /**
     * The answer of {@code /__lbheartbeat__}: {@code 200}, no body,
     * {@code Cache-Control: no-store}. Touches nothing; the same instance every time.
     *
     * @return the answer
     */
    public DockerflowResponse lbheartbeat() {
        return LBHEARTBEAT;
    }

    /**
     * The answer of {@code /__version__}: {@code 200} with the version JSON,
     * {@code 404} {@code version.json not found} when there is none, or {@code 500}
     * with a one-line JSON error (no path, no stack trace) when it cannot be used; that
     * failure is logged at ERROR with its cause (then at DEBUG while it persists).
     *
     * @return the answer
     */
    public DockerflowResponse version() {
        Optional<VersionInfo> version;
        try {
            version = versionProvider.version();
        } catch (RuntimeException e) {
            versionFailures.log("Cannot serve /__version__: " + e.getMessage(), e);
            return VERSION_BROKEN;
        }
        versionFailures.reset();
        if (version == null || version.isEmpty()) {
            return VERSION_NOT_FOUND;
        }
        return DockerflowResponse.of(200, version.get().jsonBytes(), "Content-Type", DockerflowResponse.APPLICATION_JSON);
    }

    /**
     * Runs the heartbeat and answers {@code /__heartbeat__}: {@code 200} when the
     * highest level is below ERROR, else the configured failed status (default 500);
     * JSON body; {@code Cache-Control: no-store}.
     *
     * @return the answer
     */
    public DockerflowResponse heartbeat() {
        return heartbeatResponse(heartbeat.run());
    }

    /**
     * The {@code /__heartbeat__} answer for a report already made.
     *
     * @param report a heartbeat report
     * @return the answer
     */
    public DockerflowResponse heartbeatResponse(HeartbeatReport report) {
        int status = report.passed() ? 200 : config.heartbeatFailedStatusCode();
        return DockerflowResponse.of(status, report.toJson(config.heartbeatShowDetails()),
                "Content-Type", DockerflowResponse.APPLICATION_JSON, "Cache-Control", "no-store");
    }

    /**
     * Runs the heartbeat and returns its report.
     *
     * @return the report
     */
    public HeartbeatReport runHeartbeat() {
        return heartbeat.run();
    }

    /**
     * What {@code /__error__} does: logs {@code The __error__ endpoint was called} at
     * ERROR and returns the exception for the adapter to throw.
     *
     * @return the exception to throw
     */
    public ErrorEndpointException error() {
        LOGGER.log(Logger.Level.ERROR, ErrorEndpointException.MESSAGE);
        return new ErrorEndpointException();
    }

    /**
     * The {@code 405} answer for a method an endpoint does not serve.
     *
     * @param endpoint the endpoint
     * @return the answer, with {@code Allow}
     */
    public DockerflowResponse methodNotAllowed(Endpoint endpoint) {
        return DockerflowResponse.of(405, new byte[0], "Allow", endpoint.allowHeader(), "Cache-Control", "no-store");
    }

    /**
     * Starts tracking a request: resolves its ID from the configured header (a new
     * UUID when absent or invalid), binds it to this thread and notes the start time.
     * Call first thing, before routing.
     *
     * @param request the request
     * @return the request in progress; complete or fail it exactly once, and close it
     */
    public ActiveRequest startRequest(RequestView request) {
        Objects.requireNonNull(request, "request");
        long start = nanoTime.getAsLong();
        String id = RequestId.resolve(request.header(config.requestIdHeaderName()).orElse(null));
        return new ActiveRequest(this, request, id, start);
    }

    void summarize(ActiveRequest active, int status, Throwable error) {
        RequestSummary summary = summary(active, status, error);
        try {
            summarySink.write(summary, mozlog);
            sinkFailures.reset();
        } catch (RuntimeException e) {
            sinkFailures.log("Request summary sink " + summarySink + " failed; the response is unaffected", e);
        }
    }

    private RequestSummary summary(ActiveRequest active, int status, Throwable error) {
        RequestView view = active.request();
        long millis = Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - active.startNanos())).toMillis();
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        fields.put("agent", cut(view.header("User-Agent").orElse("")));
        fields.put("lang", cut(view.header("Accept-Language").orElse("")));
        fields.put("method", view.method());
        fields.put("path", withoutQuery(view.rawPath()));
        fields.put("code", status);
        fields.put("errno", error == null ? 0 : 500);
        fields.put("t", millis);
        fields.put("rid", active.requestId());
        fields.put("uid", userIdOf(view));
        if (config.summaryLogQuerystring()) {
            view.rawQuery().ifPresent(q -> fields.put("querystring", percentDecode(q)));
        }
        if (error != null) {
            fields.put("msg", error.getMessage() != null ? error.getMessage() : error.getClass().getName());
        }
        addExtra(view, fields);
        Instant now = clock.instant();
        long timestamp = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return RequestSummary.of(timestamp, error == null ? RequestSummary.SEVERITY_NORMAL : RequestSummary.SEVERITY_ERROR,
                fields);
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

    private void addExtra(RequestView view, Map<String, Object> fields) {
        Map<String, ?> extra;
        try {
            extra = summaryExtra.apply(view);
        } catch (RuntimeException e) {
            hookFailures.log("The summary extra-fields hook failed; the summary is written without them", e);
            return;
        }
        if (extra == null) {
            return;
        }
        for (Map.Entry<String, ?> e : extra.entrySet()) {
            if (e.getKey() == null) {
                continue;
            }
            if (SUMMARY_FIELDS.contains(e.getKey())) {
                extraNameClashes.log("The summary extra-fields hook returned '" + e.getKey()
                        + "', a standard summary field; the extra value is ignored", null);
                continue;
            }
            fields.put(e.getKey(), e.getValue());
        }
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

    /** Configures a {@link Dockerflow}. Not thread-safe; build once at start-up. */
    public static final class Builder {
        private DockerflowConfig config;
        private final CheckRegistry.Builder checks = CheckRegistry.builder();
        private final java.util.List<HeartbeatListener> listeners = new java.util.ArrayList<>();
        private VersionProvider versionProvider;
        private RequestSummarySink summarySink = RequestSummarySink.stdout();
        private Mozlog mozlog;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private Function<RequestView, ? extends Map<String, ?>> summaryExtra = view -> Map.of();
        private Function<RequestView, String> userId = view -> view.principalName().orElse("");

        private Builder() {
        }

        /**
         * The configuration (default: {@link DockerflowConfig#fromEnvironment()}, read at {@link #build()}).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder config(DockerflowConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Registers a check with the default timeout.
         *
         * @param name unique, non-blank name; a key of the heartbeat payload
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or taken
         */
        public Builder check(String name, Check check) {
            checks.add(name, check);
            return this;
        }

        /**
         * Registers a check with its own timeout.
         *
         * @param name unique, non-blank name
         * @param timeout how long it may run, at least 1 ms
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or taken, or the timeout below 1 ms
         */
        public Builder check(String name, Duration timeout, Check check) {
            checks.add(name, timeout, check);
            return this;
        }

        /**
         * Registers a check with its own options: timeout, cache duration, non-critical.
         *
         * @param name unique, non-blank name; a key of the heartbeat payload
         * @param options how the check is run
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or already registered
         */
        public Builder check(String name, CheckOptions options, Check check) {
            checks.add(name, options, check);
            return this;
        }

        /**
         * Registers every check of a registry.
         *
         * @param registry checks to add
         * @return this builder
         */
        public Builder checks(CheckRegistry registry) {
            checks.addAll(registry);
            return this;
        }

        /**
         * Adds a listener that hears every heartbeat run.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(HeartbeatListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Where {@code /__version__} reads from (default: {@code $APP_DIR/version.json}).
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder versionProvider(VersionProvider provider) {
            this.versionProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Where request summaries go (default: one mozlog line each on standard output).
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder summarySink(RequestSummarySink sink) {
            this.summarySink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The mozlog format (default: the configured logger name, this host, this process).
         *
         * @param mozlog the format
         * @return this builder
         */
        public Builder mozlog(Mozlog mozlog) {
            this.mozlog = Objects.requireNonNull(mozlog, "mozlog");
            return this;
        }

        /**
         * Fields of the application's own added to every summary (python-dockerflow's
         * {@code summary_extra()}). Names of standard fields are ignored; values should
         * be strings, numbers or booleans. A hook that throws is logged and skipped.
         *
         * @param extra returns the extra fields of a request
         * @return this builder
         */
        public Builder summaryExtra(Function<RequestView, ? extends Map<String, ?>> extra) {
            this.summaryExtra = Objects.requireNonNull(extra, "extra");
            return this;
        }

        /**
         * How {@code uid} is found (python-dockerflow's {@code user_id()}); the default
         * is the framework's principal name, empty when anonymous. {@code null} means
         * anonymous; a hook that throws is logged and gives an empty {@code uid}.
         *
         * @param userId returns the user's id for a request
         * @return this builder
         */
        public Builder userId(Function<RequestView, String> userId) {
            this.userId = Objects.requireNonNull(userId, "userId");
            return this;
        }

        /**
         * The wall clock of summary timestamps (default: the system clock, UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The monotonic nanosecond source of durations (default {@link System#nanoTime()}).
         *
         * @param nanoTime the source
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Builds the Dockerflow.
         *
         * @return the Dockerflow
         * @throws DockerflowConfigException if the environment holds a bad value
         */
        public Dockerflow build() {
            return new Dockerflow(this);
        }
    }
}
