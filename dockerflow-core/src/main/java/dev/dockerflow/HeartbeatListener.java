package dev.dockerflow;

/**
 * Hears every heartbeat run, passed or failed (the counterpart of python-dockerflow's
 * {@code heartbeat_passed} and {@code heartbeat_failed} signals).
 *
 * <p>Called after the report is complete and before the answer is sent, on the thread
 * that called {@link Heartbeat#run()}, or for {@link Heartbeat#runAsync()} on a virtual
 * thread (the one of the check that answered last, or a new one): keep the work cheap and
 * non-blocking. {@link CheckResult#cached()} tells a result reused from an earlier run. A listener that
 * throws is logged at WARN (then DEBUG while it keeps failing) and never changes the
 * answer. Implementations must be thread-safe: concurrent heartbeats call concurrently.
 */
@FunctionalInterface
public interface HeartbeatListener {

    /**
     * Called once per heartbeat run.
     *
     * @param report the run's report; {@link HeartbeatReport#passed()} tells passed from failed
     */
    void onHeartbeat(HeartbeatReport report);
}
