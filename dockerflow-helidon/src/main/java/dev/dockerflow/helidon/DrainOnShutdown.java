package dev.dockerflow.helidon;

import dev.dockerflow.Dockerflow;
import io.helidon.common.Weighted;
import io.helidon.spi.HelidonShutdownHandler;

/**
 * Helidon's shutdown hook runs its shutdown handlers by weight, highest first, and the
 * webserver's own handler (default weight) stops the listeners. This one, heavier, runs
 * first: it starts the drain and waits {@code DOCKERFLOW_SHUTDOWN_DRAIN_MS} while the server
 * still serves every request, so load balancers see {@code /__lbheartbeat__} answer 503 and
 * stop sending before the server stops listening.
 */
final class DrainOnShutdown implements HelidonShutdownHandler, Weighted {

    /** Above the webserver's handler ({@value Weighted#DEFAULT_WEIGHT}), so the drain comes before the stop. */
    static final double WEIGHT = DockerflowFeature.WEIGHT;

    private static final System.Logger LOGGER = System.getLogger(DockerflowFeature.class.getName());

    private final Dockerflow dockerflow;

    DrainOnShutdown(Dockerflow dockerflow) {
        this.dockerflow = dockerflow;
    }

    @Override
    public void shutdown() {
        try {
            dockerflow.drainAndWait();
        } catch (InterruptedException e) {
            // not set again: the webserver's handler runs next on this thread, and an interrupt
            // would cut its grace period short and with it the requests in flight
            LOGGER.log(System.Logger.Level.WARNING, "Drain interrupted: the server stops now");
        }
    }

    @Override
    public double weight() {
        return WEIGHT;
    }

    @Override
    public String toString() {
        return "Dockerflow shutdown drain";
    }
}
