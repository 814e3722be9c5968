package dev.dockerflow;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Dockerflow for one service: the answers of {@code /__lbheartbeat__},
 * {@code /__version__}, {@code /__heartbeat__} and {@code /__error__}, and the request
 * summary of every request. Adapters hand each request to {@link #startRequest(RequestView)}
 * and copy back what the returned {@link ActiveRequest} says; they decide nothing the
 * contract specifies.
 *
 * <pre>{@code
 * Dockerflow dockerflow = Dockerflow.builder()
 *         .check("database", () -> List.of())
 *         .versionProvider(VersionProvider.fromClasspath("version.json"))
 *         .build();
 * }</pre>
 *
 * <p>Built once, shared by all requests, and {@linkplain #close() closed} when the
 * application stops: closing writes the summaries still pending and stops every thread
 * the library started, so a container that redeploys the application leaves nothing
 * behind. Thread-safe.
 */
public final class Dockerflow implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("dockerflow");

    private final DockerflowConfig config;
    private final Heartbeat heartbeat;
    private final Endpoints endpoints;
    private final RequestSummaries summaries;
    private final Mozlog mozlog;
    private final LongSupplier nanoTime;

    private Dockerflow(Builder b) {
        this.config = b.config != null ? b.config : DockerflowConfig.fromEnvironment();
        this.nanoTime = b.nanoTime;
        this.heartbeat = Heartbeat.create(b.checks.build(), config.checkTimeout(), config.checkCache(),
                config.silencedChecks(), b.listeners, b.nanoTime);
        VersionProvider versionProvider = b.versionProvider != null
                ? b.versionProvider : VersionProvider.fromAppDir(config.appDir());
        this.endpoints = new Endpoints(config, heartbeat, versionProvider);
        this.mozlog = b.mozlog != null ? b.mozlog : Mozlog.create(config.loggerName());
        RequestSummarySink sink = b.summarySink != null ? b.summarySink : RequestSummarySink.stdout();
        this.summaries = new RequestSummaries(config.summaryLogQuerystring(), sink, mozlog, b.clock, b.nanoTime,
                b.summaryExtra, b.userId);
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
     * Starts a request: resolves its ID from the configured header (a new UUID when
     * absent or invalid), binds it to this thread, notes the start time and finds whether
     * the core answers it. Adapters call it first thing, before routing.
     *
     * @param request the request
     * @return the request in progress; complete it once and close it
     */
    public ActiveRequest startRequest(RequestView request) {
        Objects.requireNonNull(request, "request");
        long start = nanoTime.getAsLong();
        String id = RequestId.resolve(request.header(config.requestIdHeaderName()).orElse(null));
        return new ActiveRequest(request, id, config.requestIdHeaderName(), start, endpoints, summaries);
    }

    /**
     * Runs the checks now (or joins their runs in flight) and returns the report, for
     * callers that want the report rather than an HTTP answer.
     *
     * @return the report
     */
    public HeartbeatReport heartbeat() {
        return heartbeat.run();
    }

    /**
     * Starts the shutdown drain: from now on {@code /__lbheartbeat__} answers {@code 503},
     * so load balancers stop sending, while every other request is served as usual.
     * Adapters call it when the server is asked to stop, then wait
     * {@code DOCKERFLOW_SHUTDOWN_DRAIN_MS} before the server stops accepting.
     */
    public void drain() {
        endpoints.drain();
    }

    /**
     * Whether the shutdown drain has started.
     *
     * @return {@code true} after {@link #drain()}
     */
    public boolean isDraining() {
        return endpoints.draining();
    }

    /**
     * Writes the summaries still pending and stops every thread this Dockerflow started
     * (the summary writer, running checks, the version file's reader) and removes its
     * shutdown hook; closes its summary sink and version provider. Requests that
     * end afterwards are still summarized, written on their own threads. Idempotent.
     */
    @Override
    public void close() {
        try {
            heartbeat.close();
            endpoints.close();
        } finally {
            try {
                summaries.sink().close();
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "Request summary sink " + summaries.sink() + " failed to close", e);
            }
        }
    }

    /** Configures a {@link Dockerflow}. Not thread-safe; build once at start-up. */
    public static final class Builder {
        private DockerflowConfig config;
        private final CheckRegistry.Builder checks = CheckRegistry.builder();
        private final java.util.List<HeartbeatListener> listeners = new java.util.ArrayList<>();
        private VersionProvider versionProvider;
        private RequestSummarySink summarySink;
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
         * Where request summaries go (default: {@link RequestSummarySink#stdout()}, one mozlog
         * line each on standard output). The Dockerflow closes it when it is closed.
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
