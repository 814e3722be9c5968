package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.notes.NotesBackend;
import dev.dockerflow.jaxrs.DockerflowFeature;
import dev.dockerflow.logback.LogbackSummarySink;
import java.net.URI;
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
 * {@code REDIS_URL} and the {@code DOCKERFLOW_*} variables. Stops cleanly on SIGTERM.
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
        // end::readme[]
        MalformedTargets.install(server, backend.dockerflow());
        server.start();
        int port = server.getListeners().iterator().next().getPort();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("Stopping: finishing requests in flight");
            try {
                server.shutdown(10, TimeUnit.SECONDS).get();
            } catch (Exception e) {
                LOG.warn("Server did not stop cleanly", e);
            }
            backend.close();
            LOG.info("Stopped");
        }));
        LOG.info("Listening on port {}", port);
    }
}
