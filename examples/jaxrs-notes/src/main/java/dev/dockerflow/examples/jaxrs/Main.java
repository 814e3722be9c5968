package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.notes.NotesBackend;
import dev.dockerflow.jaxrs.DockerflowFeature;
import dev.dockerflow.logback.LogbackSummarySink;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The notes service on JAX-RS (Jersey on Grizzly): Dockerflow endpoints and request
 * summaries from {@link DockerflowFeature}, the notes API under {@code /notes},
 * Prometheus metrics at {@code /metrics}, every log line and summary in mozlog through
 * Logback. Configured by the environment: {@code PORT}, {@code DATABASE_URL},
 * {@code REDIS_URL}, {@code SHUTDOWN_GRACE_MS} and the {@code DOCKERFLOW_*} variables. On
 * SIGTERM it drains ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}, 3000 ms unless set), stops
 * accepting, lets requests in flight finish, closes the pool and exits 0.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /**
     * Starts the service.
     *
     * @param args ignored
     * @throws java.io.IOException if the port cannot be bound
     */
    public static void main(String[] args) throws java.io.IOException {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        NotesBackend backend;
        try {
            backend = NotesBackend.start(System.getenv(), builder -> builder.summarySink(LogbackSummarySink.create()));
        } catch (IllegalArgumentException e) {
            // a bad setting: say which, and stop
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // tag::readme[]
        ResourceConfig application = new ResourceConfig()
                .register(DockerflowFeature.create(backend.dockerflow()))
                .register(new NotesResource(backend.notes()))
                .register(new MetricsResource(backend.metrics()))
                .register(BadInputMapper.class);
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(
                URI.create("http://0.0.0.0:" + backend.settings().port() + "/"), application, false);
        MalformedTargets.install(server, backend.dockerflow());  // a bad %-escape is a 400 with a summary, no stack trace
        server.start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("Stopping");
            // /__lbheartbeat__ answers 503 for DOCKERFLOW_SHUTDOWN_DRAIN_MS, then Grizzly stops
            // accepting and lets requests in flight finish, then the last summaries are written
            backend.dockerflow().drainThenClose(() -> stopGracefully(server, backend.settings().shutdownGrace()));
            backend.close();
            LOG.info("Stopped");
            exitCleanly();
        }));
        // end::readme[]
        int port = server.getListeners().iterator().next().getPort();
        LOG.info("Listening on port {}", port);
    }

    /**
     * Grizzly stops accepting at once, waits for the requests in flight for at most the grace
     * period, then closes the connections of those still running.
     */
    private static void stopGracefully(HttpServer server, Duration grace) {
        try {
            server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } catch (ExecutionException e) {
            LOG.warn("Server did not stop cleanly", e.getCause());
            server.shutdownNow();
        }
    }

    /**
     * Ends the process with status 0 once everything has stopped. On SIGTERM the JVM would
     * exit with 143 (128 + 15) after its shutdown hooks, which an orchestrator records as a
     * failure; this process's last hook is ours, and it has written every line.
     */
    private static void exitCleanly() {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }
}
