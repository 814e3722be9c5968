package dev.dockerflow.benchmarks.http;

import dev.dockerflow.helidon.DockerflowFeature;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import dev.dockerflow.RequestId;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.accesslog.AccessLogFeature;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * A Helidon 4 SE benchmark server. Arguments: variant ({@link Variant}, e.g.
 * {@code dockerflow}) and port; or {@code BENCH_VARIANT} and {@code PORT}.
 * {@code BENCH_TCP_NODELAY=true} turns TCP_NODELAY on for accepted connections.
 * Binds 127.0.0.1 only.
 */
public final class HelidonServer {

    private HelidonServer() {
    }

    /**
     * Starts the server and prints {@code ready <port>} once it listens.
     *
     * @param args variant and port
     */
    public static void main(String[] args) {
        Variant variant = Variant.of(args);
        boolean noDelay = Boolean.parseBoolean(System.getenv().getOrDefault("BENCH_TCP_NODELAY", "false"));
        WebServerConfig.Builder server = WebServer.builder()
                .host("127.0.0.1")
                .port(Variant.port(args))
                .featuresDiscoverServices(false)
                .connectionOptions(options -> options.tcpNoDelay(noDelay));
        if (variant == Variant.OBSERVE_HEALTH || variant == Variant.OBSERVE_HEALTH_DETAILS) {
            io.helidon.webserver.observe.health.HealthObserverConfig.Builder health = HealthObserver.builder().useSystemServices(false);
            if (variant == Variant.OBSERVE_HEALTH_DETAILS) {
                health.details(true);
            }
            for (int i = 1; i <= Variant.TRIVIAL_CHECKS; i++) {
                health.addCheck(trivial("check" + i));
            }
            server.addFeature(ObserveFeature.builder().addObserver(health.build()).build());
        }
        if (variant == Variant.ACCESSLOG) {
            // its default format; it has no JSON one (a format string takes only its placeholders)
            server.addFeature(AccessLogFeature.create());
            accessLogToStdout(AccessLogFeature.DEFAULT_LOGGER_NAME);
        }
        server.routing(routing -> {
            if (variant.dockerflow()) {
                routing.addFeature(DockerflowFeature.create(variant.buildDockerflow()));
            }
            if (variant == Variant.FILTER) {
                routing.addFilter(HelidonServer::lbheartbeatFilter);
            }
            routing.get("/bare", (req, res) -> res.send())
                    .get("/app", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(Variant.APP_BODY))
                    .get("/bench/stats", (req, res) -> res.send(Variant.stats()));
        });
        WebServer started = server.build().start();
        System.out.println("ready " + started.port() + " helidon " + variant + " tcpNoDelay=" + noDelay);
    }

    /**
     * Sends the access log's records to stdout, one line each, as a container's log would
     * take them: the message alone, flushed after every record as the JDK's console handler
     * does (which writes to stderr).
     */
    private static void accessLogToStdout(String loggerName) {
        Logger logger = Logger.getLogger(loggerName);
        StreamHandler stdout = new StreamHandler(System.out, new Formatter() {
            @Override
            public String format(LogRecord record) {
                return record.getMessage() + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        stdout.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(stdout);
        logger.setLevel(Level.INFO);
        ACCESS_LOGGERS.add(logger);
    }

    private static final HeaderName REQUEST_ID = HeaderNames.create(RequestId.DEFAULT_HEADER);
    private static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

    /**
     * Answers {@code /__lbheartbeat__} with the bytes Dockerflow answers (200, {@code Cache-Control:
     * no-store}, a new request ID, no body), and nothing else; lets the rest through.
     */
    private static void lbheartbeatFilter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if ("/__lbheartbeat__".equals(req.prologue().uriPath().rawPath())) {
            res.header(NO_STORE)
                    .header(HeaderValues.create(REQUEST_ID, RequestId.generate()))
                    .send();
        } else {
            chain.proceed();
        }
    }

    /** Holds the configured loggers: JUL keeps loggers only weakly. */
    private static final List<Logger> ACCESS_LOGGERS = new ArrayList<>();

    private static HealthCheck trivial(String name) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.LIVENESS;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(true).build();
            }
        };
    }
}
