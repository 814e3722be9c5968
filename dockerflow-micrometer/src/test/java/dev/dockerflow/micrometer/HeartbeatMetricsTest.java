package dev.dockerflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckOptions;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.HeartbeatReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeartbeatMetricsTest {

    /** The checks' log lines of the real heartbeats here are expected; they stay out of the build output. */
    private static final java.util.logging.Logger CHECKS_LOG = java.util.logging.Logger.getLogger("dockerflow.checks.registry");
    private java.util.logging.Level previousChecksLevel;

    @org.junit.jupiter.api.BeforeEach
    void silenceCheckLog() {
        previousChecksLevel = CHECKS_LOG.getLevel();
        CHECKS_LOG.setLevel(java.util.logging.Level.OFF);
    }

    @org.junit.jupiter.api.AfterEach
    void restoreCheckLog() {
        CHECKS_LOG.setLevel(previousChecksLevel);
    }

    private static final Duration RAN_FOR = Duration.ofMillis(2);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(50);

    /** What the scripted check reported in a run. */
    private enum Behaviour { OK, WARN, ERROR, THROW, HANG }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The report a heartbeat of the scripted "queue" check and a healthy "cache" check makes. */
    private static HeartbeatReport report(Behaviour behaviour) {
        CheckResult queue = switch (behaviour) {
            case OK -> CheckResult.completed("queue", List.of(), RAN_FOR);
            case WARN -> CheckResult.completed("queue", List.of(CheckMessage.warning("acme.health.W001", "queue is long")), RAN_FOR);
            case ERROR -> CheckResult.completed("queue", List.of(CheckMessage.error("acme.health.E001", "queue is down")), RAN_FOR);
            case THROW -> CheckResult.of("queue", CheckResult.Outcome.FAILED,
                    List.of(CheckMessage.error("dockerflow.health.E012", "Check failed: IllegalStateException: broker said no")),
                    RAN_FOR);
            case HANG -> CheckResult.of("queue", CheckResult.Outcome.TIMED_OUT,
                    List.of(CheckMessage.error("dockerflow.health.E011", "Check timed out after 50 ms")), SHORT_TIMEOUT);
        };
        return HeartbeatReport.of(List.of(queue, CheckResult.completed("cache", List.of(), RAN_FOR)), Duration.ofMillis(3));
    }

    private static HeartbeatReport run(HeartbeatMetrics metrics, Behaviour behaviour) {
        HeartbeatReport report = report(behaviour);
        metrics.onHeartbeat(report);
        return report;
    }

    private double runs(MeterRegistry r, String result, String level) {
        return r.get(HeartbeatMetrics.RUNS).tags("result", result, "level", level).counter().count();
    }

    private Timer checkTimer(MeterRegistry r, String check, String outcome) {
        return r.get(HeartbeatMetrics.CHECK_DURATION).tags("check", check, "outcome", outcome).timer();
    }

    private double checkLevel(MeterRegistry r, String check) {
        return r.get(HeartbeatMetrics.CHECK_LEVEL).tag("check", check).gauge().value();
    }

    @Test
    void passedRunIsCountedWithItsLevelAndEveryCheckIsTimed() {
        HeartbeatReport report = run(HeartbeatMetrics.create(registry), Behaviour.OK);

        assertThat(report.passed()).isTrue();
        assertThat(runs(registry, "passed", "ok")).isEqualTo(1.0);
        assertThat(registry.get(HeartbeatMetrics.RUNS).counters())
                .filteredOn(c -> c.count() > 0).hasSize(1);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "passed").timer().count()).isEqualTo(1);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "failed").timer().count()).isZero();
        assertThat(registry.get(HeartbeatMetrics.LEVEL).gauge().value()).isEqualTo(0.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
        assertThat(checkTimer(registry, "cache", "completed").count()).isEqualTo(1);
        assertThat(checkTimer(registry, "queue", "failed").count()).isZero();
        assertThat(checkTimer(registry, "queue", "timed_out").count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(0.0);
        assertThat(checkLevel(registry, "cache")).isEqualTo(0.0);
    }

    @Test
    void warningRunPassesWithLevelWarning() {
        run(HeartbeatMetrics.create(registry), Behaviour.WARN);

        assertThat(runs(registry, "passed", "warning")).isEqualTo(1.0);
        assertThat(runs(registry, "passed", "ok")).isZero();
        assertThat(registry.get(HeartbeatMetrics.LEVEL).gauge().value()).isEqualTo(30.0);
        assertThat(checkLevel(registry, "queue")).isEqualTo(30.0);
        assertThat(checkLevel(registry, "cache")).isEqualTo(0.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
    }

    @Test
    void errorRunFailsWithLevelError() {
        run(HeartbeatMetrics.create(registry), Behaviour.ERROR);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "passed").timer().count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
    }

    @Test
    void throwingCheckIsTimedAsFailedAtLevelError() {
        run(HeartbeatMetrics.create(registry), Behaviour.THROW);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        assertThat(checkTimer(registry, "queue", "failed").count()).isEqualTo(1);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "cache", "completed").count()).isEqualTo(1);
    }

    @Test
    void timedOutCheckIsTimedAsTimedOutForItsTimeoutAtLevelError() {
        run(HeartbeatMetrics.create(registry), Behaviour.HANG);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        Timer timedOut = checkTimer(registry, "queue", "timed_out");
        assertThat(timedOut.count()).isEqualTo(1);
        assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
    }

    @Test
    void scriptedSequenceIsCountedExactly() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);

        for (Behaviour b : List.of(Behaviour.OK, Behaviour.OK, Behaviour.WARN, Behaviour.ERROR, Behaviour.THROW,
                Behaviour.OK)) {
            run(metrics, b);
        }

        assertThat(runs(registry, "passed", "ok")).isEqualTo(3.0);
        assertThat(runs(registry, "passed", "warning")).isEqualTo(1.0);
        assertThat(runs(registry, "failed", "error")).isEqualTo(2.0);
        assertThat(runs(registry, "passed", "info")).isZero();
        assertThat(runs(registry, "failed", "critical")).isZero();
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "passed").timer().count()).isEqualTo(4);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "failed").timer().count()).isEqualTo(2);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(5);
        assertThat(checkTimer(registry, "queue", "failed").count()).isEqualTo(1);
        assertThat(checkTimer(registry, "cache", "completed").count()).isEqualTo(6);
        // the gauges show the latest run, which was healthy again
        assertThat(checkLevel(registry, "queue")).isEqualTo(0.0);
        assertThat(registry.get(HeartbeatMetrics.LEVEL).gauge().value()).isEqualTo(0.0);
    }

    @Test
    void metersAreRegisteredOnceAndReused() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);
        run(metrics, Behaviour.OK);
        List<Meter> afterFirst = List.copyOf(registry.getMeters());

        run(metrics, Behaviour.THROW);
        run(metrics, Behaviour.WARN);

        // 6 run counters + 2 run timers + 1 run gauge + per check (3 timers + 1 counter + 1 gauge) x 2
        assertThat(afterFirst).hasSize(19);
        assertThat(registry.getMeters()).containsExactlyInAnyOrderElementsOf(afterFirst);
    }

    @Test
    void unboundMetricsRecordNothingUntilBound() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create();
        run(metrics, Behaviour.ERROR);
        assertThat(registry.getMeters()).isEmpty();

        metrics.bindTo(registry);
        // checks seen before binding show their latest level at once
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        run(metrics, Behaviour.OK);

        assertThat(runs(registry, "passed", "ok")).isEqualTo(1.0);
        assertThat(runs(registry, "failed", "error")).isZero();
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
        assertThat(checkLevel(registry, "queue")).isEqualTo(0.0);
    }

    @Test
    void everyBoundRegistryRecords() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);
        metrics.bindTo(other);

        run(metrics, Behaviour.WARN);

        for (MeterRegistry r : List.of(registry, other)) {
            assertThat(runs(r, "passed", "warning")).isEqualTo(1.0);
            assertThat(checkLevel(r, "queue")).isEqualTo(30.0);
            assertThat(checkTimer(r, "queue", "completed").count()).isEqualTo(1);
        }
    }

    @Test
    void extraTagsAreOnEveryMeter() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create(Tags.of("service", "api"));
        metrics.bindTo(registry);

        run(metrics, Behaviour.OK);

        assertThat(registry.getMeters()).hasSize(19)
                .allSatisfy(m -> assertThat(m.getId().getTag("service")).isEqualTo("api"));
        Counter passed = registry.get(HeartbeatMetrics.RUNS).tags("service", "api", "result", "passed", "level", "ok")
                .counter();
        assertThat(passed.count()).isEqualTo(1.0);
    }

    @Test
    void bindingTheSameRegistryTwiceCountsEachRunOnce() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);
        metrics.bindTo(registry);
        run(metrics, Behaviour.OK);
        assertThat(registry.get(HeartbeatMetrics.RUNS).counters())
                .extracting(Counter::count)
                .containsOnly(0.0, 1.0)
                .filteredOn(c -> c == 1.0).hasSize(1);
    }

    @Test
    void aCachedResultCountsAsAReuseAndIsNotTimedAgain() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);
        CheckResult fresh = CheckResult.completed("queue", List.of(CheckMessage.warning("acme.health.W001", "long")), RAN_FOR);
        metrics.onHeartbeat(HeartbeatReport.of(List.of(fresh), RAN_FOR));
        for (int i = 0; i < 3; i++) {
            metrics.onHeartbeat(HeartbeatReport.of(List.of(fresh.asCached()), Duration.ofMillis(1)));
        }

        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
        assertThat(registry.get(HeartbeatMetrics.CHECK_CACHED).tag("check", "queue").counter().count()).isEqualTo(3.0);
        assertThat(checkLevel(registry, "queue")).isEqualTo(30.0);
        assertThat(runs(registry, "passed", "warning")).isEqualTo(4.0);
    }

    @Test
    void aRealHeartbeatWithACachedCheckRunsItOnceAndCountsTheReuses() {
        AtomicInteger runs = new AtomicInteger();
        Dockerflow dockerflow = Dockerflow.builder()
                .check("queue", CheckOptions.builder().cacheFor(Duration.ofMinutes(10)).build(), () -> {
                    runs.incrementAndGet();
                    return List.of();
                })
                .listener(HeartbeatMetrics.create(registry))
                .build();

        for (int i = 0; i < 5; i++) {
            dockerflow.heartbeat();
        }

        assertThat(runs.get()).isEqualTo(1);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
        assertThat(registry.get(HeartbeatMetrics.CHECK_CACHED).tag("check", "queue").counter().count()).isEqualTo(4.0);
        assertThat(runs(registry, "passed", "ok")).isEqualTo(5.0);
    }
}
