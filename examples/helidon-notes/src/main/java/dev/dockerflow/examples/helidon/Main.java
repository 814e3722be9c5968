package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.notes.NotesBackend;
import dev.dockerflow.helidon.DockerflowFeature;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;

/**
 * The notes service on Helidon 4 SE: Dockerflow endpoints and request summaries from
 * {@link DockerflowFeature}, the notes API under {@code /notes}, Prometheus metrics at
 * {@code /metrics}. Configured by the environment: {@code PORT}, {@code DATABASE_URL},
 * {@code REDIS_URL}, {@code SHUTDOWN_GRACE_MS} and the {@code DOCKERFLOW_*} variables. On
 * SIGTERM it drains ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}, 3000 ms unless set), stops
 * accepting, lets requests in flight finish, closes the pool and exits 0.
 */
public final class Main {

    static {
        // Before anything touches java.util.logging: keep logging alive until our shutdown hook is done.
        System.setProperty("java.util.logging.manager", KeepLoggingAtShutdown.class.getName());
    }

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the service.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        configureLogging();
        NotesBackend backend;
        try {
            backend = NotesBackend.start(System.getenv(), builder -> builder);
        } catch (IllegalArgumentException e) {
            // a bad setting: say which, and stop
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // tag::readme[]
        WebServer server = WebServer.builder()
                .port(backend.settings().port())
                .shutdownHook(false) // ours drains, stops the server, then closes the pool
                .shutdownGracePeriod(backend.settings().shutdownGrace())
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(backend.dockerflow()))
                        .register("/notes", new NotesService(backend.notes()))
                        .get("/metrics", (req, res) -> res
                                .header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                                .send(backend.metrics().scrape()))
                        .error(IllegalArgumentException.class, (req, res, e) -> res
                                .status(Status.BAD_REQUEST_400).send(e.getMessage())))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.log(System.Logger.Level.INFO, "Stopping");
            // /__lbheartbeat__ answers 503 for DOCKERFLOW_SHUTDOWN_DRAIN_MS, then the server stops
            // accepting and lets requests in flight finish, then the last summaries are written
            backend.dockerflow().drainThenClose(server::stop);
            backend.close();
            LOG.log(System.Logger.Level.INFO, "Stopped");
            exitCleanly();
        }));
        // end::readme[]
        LOG.log(System.Logger.Level.INFO, "Listening on port " + server.port());
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

    /** logging.properties from the classpath: every log line as one mozlog JSON object on stdout. */
    private static void configureLogging() {
        try (InputStream config = Main.class.getResourceAsStream("/logging.properties")) {
            if (config != null) {
                LogManager.getLogManager().readConfiguration(config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read logging.properties", e);
        }
    }

    /**
     * The JDK resets logging in a shutdown hook of its own, which races with ours and
     * would drop the lines saying the service stopped cleanly. This manager ignores
     * that reset; the process ends right after anyway.
     */
    public static final class KeepLoggingAtShutdown extends LogManager {

        /** Created by the JDK from {@code java.util.logging.manager}. */
        public KeepLoggingAtShutdown() {
        }

        @Override
        public void reset() {
            if (!shuttingDown()) {
                super.reset();
            }
        }

        private static boolean shuttingDown() {
            Thread probe = new Thread(() -> { });
            try {
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                return false;
            } catch (IllegalStateException e) {
                return true;
            }
        }
    }
}
