package dev.dockerflow.jaxrs;

import dev.dockerflow.Dockerflow;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Objects;

/**
 * Dockerflow for a JAX-RS application: serves {@code /__lbheartbeat__},
 * {@code /__version__}, {@code /__heartbeat__} and (when enabled) {@code /__error__},
 * echoes the request ID and writes one request summary per request.
 *
 * <pre>{@code
 * Dockerflow dockerflow = Dockerflow.builder().check("database", databaseCheck).build();
 * ResourceConfig app = new ResourceConfig(ItemsResource.class)
 *         .register(DockerflowFeature.create(dockerflow));
 * }</pre>
 *
 * <p>Registering this feature is all an application does. It adds a
 * {@code @PreMatching} filter that resolves the request ID before routing and answers
 * the Dockerflow paths, so the application's own filters never see them. On Jersey the
 * filter suspends {@code /__heartbeat__} while its checks run, so it holds no thread of
 * the container, and the feature listens to the runtime's request events, so that a
 * request whose exception no application {@code ExceptionMapper} handles is summarized
 * with {@code errno} 500 and its message. On other runtimes the heartbeat waits on its
 * request thread and the summary is written by a response filter (see the module's
 * README for the limits).
 *
 * <p>Immutable and thread-safe; one instance may serve any number of requests.
 */
public final class DockerflowFeature implements Feature {

    private final Dockerflow dockerflow;
    private final boolean runtimeEvents;

    /**
     * Not for use: a JAX-RS runtime calls this constructor when the feature is registered by
     * class ({@code register(DockerflowFeature.class)}), and it stops start-up saying what to
     * register instead. The feature serves the application's own {@link Dockerflow}, with its
     * checks, which only the application can build.
     *
     * @throws IllegalStateException always
     */
    public DockerflowFeature() {
        throw new IllegalStateException("DockerflowFeature cannot be registered by class: register the instance "
                + "DockerflowFeature.create(dockerflow), with the service's Dockerflow built by Dockerflow.builder()");
    }

    private DockerflowFeature(Dockerflow dockerflow, boolean runtimeEvents) {
        this.dockerflow = dockerflow;
        this.runtimeEvents = runtimeEvents;
    }

    /**
     * The feature for a Dockerflow instance.
     *
     * @param dockerflow the service's Dockerflow, built once at start-up
     * @return the feature to register with the application
     */
    public static DockerflowFeature create(Dockerflow dockerflow) {
        return new DockerflowFeature(Objects.requireNonNull(dockerflow, "dockerflow"), true);
    }

    /** The feature as it behaves on a runtime other than Jersey: filters only. */
    static DockerflowFeature portable(Dockerflow dockerflow) {
        return new DockerflowFeature(Objects.requireNonNull(dockerflow, "dockerflow"), false);
    }

    /**
     * The Dockerflow this feature serves.
     *
     * @return the Dockerflow
     */
    public Dockerflow dockerflow() {
        return dockerflow;
    }

    /**
     * Registers the filter, and the runtime event listener when the runtime is Jersey.
     *
     * @param context the application's configuration
     * @return {@code true}: the feature is enabled
     */
    @Override
    public boolean configure(FeatureContext context) {
        Objects.requireNonNull(context, "context");
        if (runtimeEvents && JerseyPresence.detected()) {
            JerseyRequestEvents.register(context, dockerflow);
        } else {
            context.register(new DockerflowFilter(dockerflow), DockerflowFilter.PRIORITY);
        }
        return true;
    }

    @Override
    public String toString() {
        return "DockerflowFeature[" + dockerflow.config() + "]";
    }
}
