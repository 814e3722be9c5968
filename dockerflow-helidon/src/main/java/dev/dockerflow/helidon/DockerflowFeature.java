package dev.dockerflow.helidon;

import dev.dockerflow.Dockerflow;
import io.helidon.Main;
import io.helidon.common.Weighted;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Dockerflow for a Helidon 4 SE webserver: add it to the routing and the service
 * answers {@code /__lbheartbeat__}, {@code /__version__}, {@code /__heartbeat__} (and
 * {@code /__error__} when enabled) at the root paths, writes one request-summary line
 * per request, and carries request IDs in and out.
 *
 * <pre>{@code
 * WebServer.builder()
 *         .routing(routing -> routing
 *                 .addFeature(DockerflowFeature.create(dockerflow))
 *                 .get("/notes", notes::list))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>The feature adds one filter, ahead of the application's filters (its weight is
 * {@value #WEIGHT}, above the routing's default), which answers the Dockerflow paths
 * itself, so no application filter (authentication, say) stands between a load
 * balancer and its probe; every other request goes on unchanged. The summary is
 * written once the response is sent, whoever sends it: a route, another feature, an
 * error handler, or Helidon's own 404 and 500 answers.
 *
 * <p>To learn of exceptions that nothing handles, the feature registers an error
 * handler for {@link Throwable} that notes the exception and leaves the answer to
 * Helidon's default. Handlers the application registers for any narrower type keep
 * working. Helidon keeps the first handler registered for a type, and this feature's
 * comes first, so an application handler for {@code Throwable} itself must be given to
 * {@link Builder#unhandledErrorHandler(ErrorHandler)} instead.
 *
 * <p>The feature stops with the server. When the server uses Helidon's shutdown hook (the
 * default, {@code WebServerConfig.Builder.shutdownHook(true)}), the feature adds a shutdown
 * handler that runs before the server's own: on SIGTERM {@code /__lbheartbeat__} answers
 * {@code 503} for {@code DOCKERFLOW_SHUTDOWN_DRAIN_MS} while every other request is served,
 * then Helidon stops accepting and lets the requests in flight finish within its shutdown
 * grace period. Once the server has stopped, however it was stopped, the feature closes the
 * Dockerflow, which summarizes the requests the server gave up on ({@code "cut": true}) and
 * writes the last lines. A service that turns Helidon's hook off stops the server in a hook
 * of its own with {@code dockerflow.drainThenClose(server::stop)}.
 *
 * <p>Thread-safe.
 */
public final class DockerflowFeature implements HttpFeature, Weighted {

    /** The feature's weight: above the routing's default ({@value Weighted#DEFAULT_WEIGHT}), so its filter comes first. */
    public static final double WEIGHT = 1050;

    private final Dockerflow dockerflow;
    private final ErrorHandler<Throwable> unhandledErrorHandler;
    private final double weight;
    private final AtomicReference<DrainOnShutdown> drainOnShutdown = new AtomicReference<>();

    private DockerflowFeature(Builder builder) {
        this.dockerflow = Objects.requireNonNull(builder.dockerflow, "dockerflow");
        this.unhandledErrorHandler = builder.unhandledErrorHandler;
        this.weight = builder.weight;
    }

    /**
     * The feature for a Dockerflow, with the defaults.
     *
     * @param dockerflow the service's Dockerflow
     * @return the feature
     */
    public static DockerflowFeature create(Dockerflow dockerflow) {
        return builder().dockerflow(dockerflow).build();
    }

    /**
     * Starts a feature; {@link Builder#dockerflow(Dockerflow)} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter(new DockerflowFilter(dockerflow));
        routing.error(Throwable.class, new UnhandledErrorObserver(unhandledErrorHandler));
    }

    /**
     * Adds the drain to Helidon's shutdown handling when the server uses Helidon's shutdown hook.
     *
     * @param server the server that started
     */
    @Override
    public void afterStart(WebServer server) {
        if (server.prototype().shutdownHook()) {
            DrainOnShutdown drain = new DrainOnShutdown(dockerflow);
            DrainOnShutdown previous = drainOnShutdown.getAndSet(drain);
            if (previous != null) {
                Main.removeShutdownHandler(previous);
            }
            Main.addShutdownHandler(drain);
        }
    }

    /**
     * The server has stopped (its requests in flight finished or were cut off at the end of its
     * grace period): removes the drain from Helidon's shutdown handling and closes the Dockerflow.
     */
    @Override
    public void afterStop() {
        DrainOnShutdown drain = drainOnShutdown.getAndSet(null);
        if (drain != null) {
            Main.removeShutdownHandler(drain);
        }
        dockerflow.close();
    }

    @Override
    public double weight() {
        return weight;
    }

    /**
     * The Dockerflow this feature serves.
     *
     * @return the Dockerflow
     */
    public Dockerflow dockerflow() {
        return dockerflow;
    }

    @Override
    public String toString() {
        return "DockerflowFeature[weight=" + weight + "]";
    }

    /** Configures a {@link DockerflowFeature}; not thread-safe. */
    public static final class Builder implements io.helidon.common.Builder<Builder, DockerflowFeature> {
        private Dockerflow dockerflow;
        private ErrorHandler<Throwable> unhandledErrorHandler;
        private double weight = WEIGHT;

        private Builder() {
        }

        /**
         * The service's Dockerflow (required).
         *
         * @param dockerflow the Dockerflow
         * @return this builder
         */
        public Builder dockerflow(Dockerflow dockerflow) {
            this.dockerflow = Objects.requireNonNull(dockerflow, "dockerflow");
            return this;
        }

        /**
         * The application's own handler for exceptions no narrower handler takes (what it
         * would otherwise register for {@code Throwable}). Exceptions it handles count as
         * handled in the request summary.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder unhandledErrorHandler(ErrorHandler<Throwable> handler) {
            this.unhandledErrorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * The feature's weight (default {@value DockerflowFeature#WEIGHT}); features with
         * a higher weight set up first, so their filters run first.
         *
         * @param weight the weight
         * @return this builder
         */
        public Builder weight(double weight) {
            this.weight = weight;
            return this;
        }

        /**
         * Builds the feature.
         *
         * @return the feature
         * @throws NullPointerException if no Dockerflow was given
         */
        @Override
        public DockerflowFeature build() {
            return new DockerflowFeature(this);
        }
    }
}
