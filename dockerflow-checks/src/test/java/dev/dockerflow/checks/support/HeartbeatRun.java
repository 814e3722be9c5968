package dev.dockerflow.checks.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckRegistry;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Heartbeat;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

    /**
     * Asserts what a backend that accepts and never answers must give: the heartbeat
     * answered within {@code bound}, at error level, with the check timed out
     * ({@code E011}), and the interrupt sent at the timeout really ended the check's wait.
     *
     * @param bound the longest the heartbeat may have taken
     * @throws InterruptedException if interrupted while waiting for the check to end
     */
    public void assertTimedOutWithinAndCheckEnded(Duration bound) throws InterruptedException {
        assertThat(elapsed).isLessThan(bound);
        assertThat(report.level()).isEqualTo(Level.ERROR);
        assertThat(result.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(result.messages()).extracting(CheckMessage::id).containsExactly(Heartbeat.TIMEOUT_ID);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (heartbeat.executionsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(heartbeat.executionsInFlight()).as("check executions still running").isZero();
    }
}
