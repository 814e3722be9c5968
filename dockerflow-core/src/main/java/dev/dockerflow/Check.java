package dev.dockerflow;

import java.util.List;

/**
 * A health check: looks at one dependency and says what it found.
 *
 * <p>An empty list means healthy. A check may block (it runs on its own virtual
 * thread, bounded by its timeout) and may throw: a thrown exception becomes a
 * {@code dockerflow.health.E012} error message, and a check that outlives its timeout
 * becomes {@code dockerflow.health.E011}; neither ever fails the heartbeat request itself.
 * Implementations must be safe to call from several threads, though the heartbeat
 * never runs the same registered check twice at once.
 */
@FunctionalInterface
public interface Check {

    /**
     * Runs the check.
     *
     * @return the messages found, empty when healthy; never {@code null}
     * @throws Exception any failure, reported as {@code dockerflow.health.E012}
     */
    List<CheckMessage> run() throws Exception;
}
