package dev.dockerflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckRegistry;
import dev.dockerflow.Heartbeat;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeartbeatMetricsTest {

    /** Long enough for any check but a hanging one, even on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(50);

    /** What the scripted check does on its next run. */
    private enum Behaviour { OK, WARN, ERROR, THROW, HANG }

    private final AtomicReference<Behaviour> next = new AtomicReference<>(Behaviour.OK);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private List<CheckMessage> scripted() throws Exception {
        return switch (next.get()) {
            case OK -> List.of();
            case WARN -> List.of(CheckMessage.warning("acme.health.W001", "queue is long"));
            case ERROR -> List.of(CheckMessage.error("acme.health.E001", "queue is down"));
            case THROW -> throw new IllegalStateException("broker said no");
            case HANG -> {
                Thread.sleep(10_000);
                yield List.of();
            }
        };
    }

    private Heartbeat heartbeat(HeartbeatMetrics metrics) {
        return heartbeat(metrics, TIMEOUT);
    }

    private Heartbeat heartbeat(HeartbeatMetrics metrics, Duration queueTimeout) {
        CheckRegistry checks = CheckRegistry.builder()
                .add("queue", queueTimeout, this::scripted)
                .add("cache", List::of)
                .build();
        return Heartbeat.builder().checks(checks).addListener(metrics).build();
    }

    private HeartbeatReport run(Heartbeat heartbeat, Behaviour behaviour) {
        next.set(behaviour);
        return heartbeat.run();
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
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));

        HeartbeatReport report = run(heartbeat, Behaviour.OK);

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
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));

        run(heartbeat, Behaviour.WARN);

        assertThat(runs(registry, "passed", "warning")).isEqualTo(1.0);
        assertThat(runs(registry, "passed", "ok")).isZero();
        assertThat(registry.get(HeartbeatMetrics.LEVEL).gauge().value()).isEqualTo(30.0);
        assertThat(checkLevel(registry, "queue")).isEqualTo(30.0);
        assertThat(checkLevel(registry, "cache")).isEqualTo(0.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
    }

    @Test
    void errorRunFailsWithLevelError() {
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));

        run(heartbeat, Behaviour.ERROR);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "failed").timer().count()).isEqualTo(1);
        assertThat(registry.get(HeartbeatMetrics.DURATION).tag("result", "passed").timer().count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isEqualTo(1);
    }

    @Test
    void throwingCheckIsTimedAsFailedAtLevelError() {
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));

        run(heartbeat, Behaviour.THROW);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        assertThat(checkTimer(registry, "queue", "failed").count()).isEqualTo(1);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "cache", "completed").count()).isEqualTo(1);
    }

    @Test
    void timedOutCheckIsTimedAsTimedOutForItsTimeoutAtLevelError() {
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry), SHORT_TIMEOUT);

        run(heartbeat, Behaviour.HANG);

        assertThat(runs(registry, "failed", "error")).isEqualTo(1.0);
        Timer timedOut = checkTimer(registry, "queue", "timed_out");
        assertThat(timedOut.count()).isEqualTo(1);
        assertThat(timedOut.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
    }

    @Test
    void scriptedSequenceIsCountedExactly() {
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));

        for (Behaviour b : List.of(Behaviour.OK, Behaviour.OK, Behaviour.WARN, Behaviour.ERROR, Behaviour.THROW,
                Behaviour.OK)) {
            run(heartbeat, b);
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
        Heartbeat heartbeat = heartbeat(HeartbeatMetrics.create(registry));
        run(heartbeat, Behaviour.OK);
        List<Meter> afterFirst = List.copyOf(registry.getMeters());

        run(heartbeat, Behaviour.THROW);
        run(heartbeat, Behaviour.WARN);

        // 6 run counters + 2 run timers + 1 run gauge + per check (3 timers + 1 gauge) x 2
        assertThat(afterFirst).hasSize(17);
        assertThat(registry.getMeters()).containsExactlyInAnyOrderElementsOf(afterFirst);
    }

    @Test
    void unboundMetricsRecordNothingUntilBound() {
        HeartbeatMetrics metrics = HeartbeatMetrics.create();
        Heartbeat heartbeat = heartbeat(metrics);
        run(heartbeat, Behaviour.ERROR);
        assertThat(registry.getMeters()).isEmpty();

        metrics.bindTo(registry);
        // checks seen before binding show their latest level at once
        assertThat(checkLevel(registry, "queue")).isEqualTo(40.0);
        assertThat(checkTimer(registry, "queue", "completed").count()).isZero();
        run(heartbeat, Behaviour.OK);

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

        run(heartbeat(metrics), Behaviour.WARN);

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

        run(heartbeat(metrics), Behaviour.OK);

        assertThat(registry.getMeters()).hasSize(17)
                .allSatisfy(m -> assertThat(m.getId().getTag("service")).isEqualTo("api"));
        Counter passed = registry.get(HeartbeatMetrics.RUNS).tags("service", "api", "result", "passed", "level", "ok")
                .counter();
        assertThat(passed.count()).isEqualTo(1.0);
    }

    @org.junit.jupiter.api.Test
    void bindingTheSameRegistryTwiceCountsEachRunOnce() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HeartbeatMetrics metrics = HeartbeatMetrics.create(registry);
        metrics.bindTo(registry);
        dev.dockerflow.Heartbeat.builder()
                .checks(dev.dockerflow.CheckRegistry.builder().add("db", java.util.List::of).build())
                .addListener(metrics).build().run();
        org.assertj.core.api.Assertions.assertThat(registry.get(HeartbeatMetrics.RUNS).counters())
                .extracting(io.micrometer.core.instrument.Counter::count)
                .containsOnly(0.0, 1.0)
                .filteredOn(c -> c == 1.0).hasSize(1);
    }
}
