package dev.dockerflow;

import java.util.List;

/**
 * A health check: looks at one dependency and says what it found.
 *
 * <p>An empty list means healthy. A check may block and may throw: a thrown exception
 * becomes a {@code dockerflow.health.E012} error message (and is logged with its stack
 * trace), and a check that outlives its timeout becomes {@code dockerflow.health.E011} and
 * is interrupted; neither ever fails the heartbeat request itself.
 *
 * <p>Threads: a check never runs on the thread of the request. A heartbeat runs the checks
 * it starts one after another on one virtual thread; once that thread has been busy for a
 * millisecond, the checks still waiting get virtual threads of their own, so a slow check
 * delays no other. The request ID of the heartbeat that started the run is bound
 * ({@link RequestId#current()}) while the check runs, so the check's own log lines carry it.
 * Implementations must be safe to call from several threads, though the heartbeat never
 * runs the same registered check twice at once; a check that ignores the interrupt keeps
 * later heartbeats from running it again until it returns.
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
