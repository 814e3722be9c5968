package dev.dockerflow.checks.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckResult;
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
 * @param threads the threads the check ran on
 */
public record HeartbeatRun(HeartbeatReport report, CheckResult result, Duration elapsed, java.util.Set<Thread> threads) {

    /**
     * Runs {@code check} once, registered as {@code name}, with {@code timeout}.
     *
     * @param name check name
     * @param check the check
     * @param timeout the check's timeout
     * @return what happened
     */
    public static HeartbeatRun of(String name, Check check, Duration timeout) {
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Check tracked = () -> {
            threads.add(Thread.currentThread());
            return check.run();
        };
        dev.dockerflow.Dockerflow dockerflow = dev.dockerflow.Dockerflow.builder()
                .config(dev.dockerflow.DockerflowConfig.builder().build())
                .check(name, timeout, tracked)
                .build();
        long start = System.nanoTime();
        HeartbeatReport report = dockerflow.heartbeat();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new HeartbeatRun(report, report.result(name).orElseThrow(), elapsed, threads);
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
        assertThat(result.messages()).extracting(CheckMessage::id).containsExactly(dev.dockerflow.Heartbeat.TIMEOUT_ID);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(t.isAlive()).as("thread of the check still running").isFalse();
        }
    }
}
