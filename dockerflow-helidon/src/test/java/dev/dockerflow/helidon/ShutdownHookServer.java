package dev.dockerflow.helidon;

import dev.dockerflow.Dockerflow;
import io.helidon.webserver.WebServer;
import java.time.Duration;

/**
 * A service as most Helidon services are written: the feature in the routing and Helidon's own
 * shutdown hook (the default), nothing else. {@link ShutdownTest} runs it in its own JVM and
 * stops it with SIGTERM.
 */
final class ShutdownHookServer {

    private ShutdownHookServer() {
    }

    public static void main(String[] args) {
        Dockerflow dockerflow = Dockerflow.builder().build(); // DOCKERFLOW_SHUTDOWN_DRAIN_MS from the environment
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(dockerflow))
                        .get("/notes", (req, res) -> res.send("notes")))
                .build()
                .start();
        System.out.println("Listening on port " + server.port());
    }
}
