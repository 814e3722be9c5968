package dev.dockerflow;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
 * application stops: closing summarizes the requests the server gave up on, writes the
 * summaries still pending and stops every thread the library started, so a container
 * that redeploys the application leaves nothing behind. {@link #drainThenClose(Runnable)}
 * is the whole shutdown in the order that drops no request:
 *
 * <pre>{@code
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> dockerflow.drainThenClose(server::stop)));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Dockerflow implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("dockerflow");
    /** How long closing waits for summaries that request threads are writing at that moment. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final DockerflowConfig config;
    private final Heartbeat heartbeat;
    private final Endpoints endpoints;
    private final RequestSummaries summaries;
    private final Mozlog mozlog;
    private final LongSupplier nanoTime;
    private final InFlightRequests inFlight = new InFlightRequests();

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
        return new ActiveRequest(request, id, config.requestIdHeaderName(), start, endpoints, summaries, inFlight);
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
     * {@link #drainAndWait()} also waits the configured time; most services want
     * {@link #drainThenClose(Runnable)}, the whole shutdown.
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
     * Starts the drain ({@link #drain()}) and returns once the configured drain time
     * ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}, {@link DockerflowConfig#shutdownDrain()}) has
     * passed, at once when it is zero: long enough for load balancers that probe
     * {@code /__lbheartbeat__} to take this instance out before the server stops listening.
     * Every request is served meanwhile. Logs one line at INFO when there is a time to wait.
     *
     * @throws InterruptedException if the thread is interrupted while waiting; the drain stays on
     */
    public void drainAndWait() throws InterruptedException {
        drain();
        Duration wait = config.shutdownDrain();
        if (wait.isZero()) {
            return;
        }
        LOGGER.log(System.Logger.Level.INFO, "Draining for " + wait.toMillis()
                + " ms before the server stops: /__lbheartbeat__ answers 503, every other request is served");
        Thread.sleep(wait);
    }

    /**
     * Stops the service in the order that drops no request: {@link #drainAndWait()}, then
     * {@code stopServer}, which stops accepting connections and lets the requests in flight
     * finish within the server's own grace period, then {@link #close()}, which summarizes the
     * requests the server gave up on. Call it when the process is asked to stop (a shutdown
     * hook on SIGTERM, a servlet context or application context closing).
     *
     * <p>An interrupt ends the drain early; the server is still stopped and this Dockerflow
     * still closed, and the interrupt is set again on the thread before this method returns.
     * If {@code stopServer} throws, this Dockerflow is still closed and the exception is
     * rethrown.
     *
     * @param stopServer stops the server and returns when it has stopped
     */
    public void drainThenClose(Runnable stopServer) {
        Objects.requireNonNull(stopServer, "stopServer");
        boolean interrupted = false;
        try {
            drainAndWait();
        } catch (InterruptedException e) {
            interrupted = true;
            LOGGER.log(System.Logger.Level.WARNING, "Drain interrupted: stopping the server now");
        }
        try {
            stopServer.run();
        } finally {
            close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Summarizes the requests still in flight as cut off, writes the summaries still pending,
     * and stops every thread this Dockerflow started (the summary writer, running checks, the
     * version file's reader) and removes its shutdown hook; closes its summary sink and
     * version provider. Call it once the server has stopped: a request that has not
     * been completed by then is one the server gave up on at the end of its grace period, and
     * its summary says so ({@code code} and {@code errno} 500, severity 3, {@code msg} and
     * {@code "cut": true}). Requests that start afterwards are still summarized, written on
     * their own threads. Idempotent.
     */
    @Override
    public void close() {
        try {
            summarizeCutRequests();
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

    private void summarizeCutRequests() {
        List<ActiveRequest> inFlightNow = inFlight.close();
        if (inFlightNow.isEmpty()) {
            return;
        }
        inFlightNow.sort(Comparator.comparingLong(ActiveRequest::startNanos));
        int cut = 0;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ActiveRequest request : inFlightNow) {
            if (request.cut()) {
                cut++;
            } else {
                // its own thread is writing its summary right now: let it finish
                request.awaitWritten(deadline);
            }
        }
        if (cut > 0) {
            LOGGER.log(System.Logger.Level.WARNING, cut + (cut == 1 ? " request was" : " requests were")
                    + " still running when the server stopped; " + (cut == 1 ? "its summary says" : "their summaries say")
                    + " \"cut\": true");
        }
    }

    /**
     * How many requests have started and are not yet summarized.
     *
     * @return the number of requests in flight
     */
    int inFlightCount() {
        return inFlight.size();
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
