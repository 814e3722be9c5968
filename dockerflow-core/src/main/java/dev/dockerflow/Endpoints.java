package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The answers of the Dockerflow endpoints (contract section 1): which path is one, and
 * what each answers for each method. Thread-safe.
 */
final class Endpoints {

    private static final Logger LOGGER = System.getLogger("dockerflow");

    private static final DockerflowResponse LBHEARTBEAT =
            DockerflowResponse.of(200, new byte[0], "Cache-Control", "no-store");
    private static final DockerflowResponse LBHEARTBEAT_DRAINING =
            DockerflowResponse.of(503, new byte[0], "Cache-Control", "no-store");
    private static final DockerflowResponse VERSION_NOT_FOUND =
            DockerflowResponse.text(404, "version.json not found");
    private static final DockerflowResponse VERSION_BROKEN = DockerflowResponse.of(500,
            "{\"error\":\"version.json could not be read as a JSON object\"}".getBytes(StandardCharsets.US_ASCII),
            "Content-Type", DockerflowResponse.APPLICATION_JSON);

    private final DockerflowConfig config;
    private final Heartbeat heartbeat;
    private final VersionProvider versionProvider;
    private final WarnThenDebugLogger versionFailures = new WarnThenDebugLogger(LOGGER, Logger.Level.ERROR);
    private volatile boolean draining;

    Endpoints(DockerflowConfig config, Heartbeat heartbeat, VersionProvider versionProvider) {
        this.config = config;
        this.heartbeat = heartbeat;
        this.versionProvider = versionProvider;
    }

    /** The endpoint at a route path; {@code /__error__} only when enabled. */
    Endpoint route(String path) {
        Optional<Endpoint> endpoint = Endpoint.forPath(path);
        if (endpoint.isEmpty() || (endpoint.get() == Endpoint.ERROR && !config.errorEndpointEnabled())) {
            return null;
        }
        return endpoint.get();
    }

    /** Whether the answer of this endpoint to this method waits for checks to run. */
    static boolean mayWait(Endpoint endpoint, String method) {
        return endpoint == Endpoint.HEARTBEAT && endpoint.methods().contains(method);
    }

    /**
     * The answer of an endpoint to a method that does not wait (see {@link #mayWait}).
     *
     * @throws ErrorEndpointException for {@code GET /__error__}
     */
    DockerflowResponse answerNow(Endpoint endpoint, String method) {
        if (!endpoint.methods().contains(method)) {
            return DockerflowResponse.of(405, new byte[0], "Allow", endpoint.allowHeader(), "Cache-Control", "no-store");
        }
        DockerflowResponse response = switch (endpoint) {
            case LBHEARTBEAT -> draining ? LBHEARTBEAT_DRAINING : LBHEARTBEAT;
            case VERSION -> version();
            case HEARTBEAT -> heartbeatResponse(heartbeat.run());
            case ERROR -> throw error();
        };
        return method.equals("HEAD") ? response.withoutBody() : response;
    }

    /** The heartbeat's answer, once its checks have run; never completes exceptionally. */
    CompletableFuture<DockerflowResponse> heartbeatAnswer(String method) {
        boolean head = method.equals("HEAD");
        return heartbeat.runAsync().thenApply(report -> {
            DockerflowResponse response = heartbeatResponse(report);
            return head ? response.withoutBody() : response;
        });
    }

    DockerflowResponse heartbeatResponse(HeartbeatReport report) {
        int status = report.passed() ? 200 : config.heartbeatFailedStatusCode();
        return DockerflowResponse.of(status, report.toJson(config.heartbeatShowDetails()),
                "Content-Type", DockerflowResponse.APPLICATION_JSON, "Cache-Control", "no-store");
    }

    private DockerflowResponse version() {
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

    private static ErrorEndpointException error() {
        LOGGER.log(Logger.Level.ERROR, ErrorEndpointException.MESSAGE);
        return new ErrorEndpointException();
    }

    /** From now on {@code /__lbheartbeat__} answers {@code 503}: the service is draining before it stops. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Closes the version provider (it may hold a helper thread). */
    void close() {
        versionProvider.close();
    }
}
