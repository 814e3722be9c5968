package dev.dockerflow.checks.support;

import dev.dockerflow.Check;
import dev.dockerflow.CheckRegistry;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Heartbeat;
import dev.dockerflow.HeartbeatReport;
import java.time.Duration;

/**
 * One check run through the real {@link Heartbeat}, with the time the heartbeat took to
 * answer measured by the caller's clock.
 *
 * @param report the heartbeat's report
 * @param result the check's result
 * @param elapsed how long {@link Heartbeat#run()} took
 * @param heartbeat the heartbeat, to look at executions still in flight
 */
public record HeartbeatRun(HeartbeatReport report, CheckResult result, Duration elapsed, Heartbeat heartbeat) {

    /**
     * Runs {@code check} once, registered as {@code name}, with {@code timeout}.
     *
     * @param name check name
     * @param check the check
     * @param timeout the check's timeout
     * @return what happened
     */
    public static HeartbeatRun of(String name, Check check, Duration timeout) {
        Heartbeat heartbeat = Heartbeat.builder()
                .checks(CheckRegistry.builder().add(name, timeout, check).build())
                .build();
        long start = System.nanoTime();
        HeartbeatReport report = heartbeat.run();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new HeartbeatRun(report, report.result(name).orElseThrow(), elapsed, heartbeat);
    }
}
