package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The contract's shutdown drain ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}) in a Spring
 * application: when the context closes, {@link Dockerflow#drain()} turns
 * {@code /__lbheartbeat__} to {@code 503} and the stop waits the drain time while the web
 * server still serves every request; then the web server's own stop (and Boot's graceful
 * shutdown, when {@code server.shutdown=graceful}) lets in-flight requests finish.
 *
 * <p>It stops in the phase just after the web server's graceful shutdown phase
 * ({@value #PHASE}): Spring stops higher phases first, so the drain is over before the server
 * stops accepting. The wait runs on its own thread and does not hold the context's shutdown
 * thread; Spring's {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s by default) bounds
 * it, so a drain longer than that needs a longer phase timeout. As
 * {@link Dockerflow#drainAndWait()} does, it logs one line at INFO (logger {@code dockerflow})
 * when there is a time to wait ({@code Draining for <ms> ms before the server stops: ...}).
 * With no drain configured it stops at once. Thread-safe.
 */
public final class DockerflowShutdownDrain implements SmartLifecycle {

    /**
     * The phase: one above Spring Boot's web server graceful-shutdown phase
     * ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}).
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

    private static final Log LOG = LogFactory.getLog("dockerflow");

    private final Dockerflow dockerflow;
    private volatile boolean running;

    DockerflowShutdownDrain(Dockerflow dockerflow) {
        this.dockerflow = Objects.requireNonNull(dockerflow, "dockerflow");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        dockerflow.drain();
        running = false;
        Duration drain = dockerflow.config().shutdownDrain();
        if (!drain.isZero()) {
            logDrain(drain);
            try {
                TimeUnit.NANOSECONDS.sleep(drain.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void stop(Runnable callback) {
        dockerflow.drain();
        running = false;
        Duration drain = dockerflow.config().shutdownDrain();
        if (drain.isZero()) {
            callback.run();
            return;
        }
        logDrain(drain);
        Thread.ofVirtual().name("dockerflow-shutdown-drain").start(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(drain.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                callback.run();
            }
        });
    }

    /**
     * The line {@link Dockerflow#drainAndWait()} writes, through Spring's logging: by the time the
     * context stops, Boot has taken its {@code java.util.logging} bridge down, so a line written
     * through {@code System.Logger} would be lost.
     */
    private static void logDrain(Duration drain) {
        LOG.info("Draining for " + drain.toMillis()
                + " ms before the server stops: /__lbheartbeat__ answers 503, every other request is served");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
