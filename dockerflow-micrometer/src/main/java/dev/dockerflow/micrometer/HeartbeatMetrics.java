package dev.dockerflow.micrometer;

import dev.dockerflow.CheckResult;
import dev.dockerflow.HeartbeatListener;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.Level;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records every heartbeat run as Micrometer meters, for any Micrometer backend.
 *
 * <p>Both a {@link HeartbeatListener} (add it to the heartbeat) and a
 * {@link MeterBinder} (bind it to one or more registries). Meters:
 *
 * <ul>
 *   <li>{@value #RUNS} (counter; tags {@code result} = {@code passed}|{@code failed},
 *       {@code level} = the run's level text): heartbeat runs.</li>
 *   <li>{@value #DURATION} (timer; tag {@code result}): how long runs took.</li>
 *   <li>{@value #LEVEL} (gauge): the level number of the latest run.</li>
 *   <li>{@value #CHECK_DURATION} (timer; tags {@code check} = the check's name,
 *       {@code outcome} = {@code completed}|{@code failed}|{@code timed_out}): how
 *       long each check ran, for results found by a run (not reused from the cache).</li>
 *   <li>{@value #CHECK_CACHED} (counter; tag {@code check}): heartbeats that reused a
 *       cached result of the check instead of running it
 *       ({@link dev.dockerflow.CheckResult#cached()}).</li>
 *   <li>{@value #CHECK_LEVEL} (gauge; tag {@code check}): the level number each check
 *       reported in the latest run, cached or not (40 for a check that threw or timed out,
 *       30 when it is non-critical).</li>
 * </ul>
 *
 * <p>The run meters are registered when bound; a check's meters when the check is
 * first reported, then kept, so recording a run costs a map lookup per check and
 * never a registry lookup. This class never uses Micrometer's global registry.
 *
 * <p>Thread-safe: concurrent heartbeats may report concurrently, and binding may
 * happen while heartbeats run (runs before the first binding are not recorded).
 */
public final class HeartbeatMetrics implements HeartbeatListener, MeterBinder {

    /** Counter of heartbeat runs, tagged {@code result} and {@code level}. */
    public static final String RUNS = "dockerflow.heartbeat.runs";

    /** Timer of heartbeat runs, tagged {@code result}. */
    public static final String DURATION = "dockerflow.heartbeat.duration";

    /** Gauge of the latest run's level number. */
    public static final String LEVEL = "dockerflow.heartbeat.level";

    /** Timer of check executions, tagged {@code check} and {@code outcome}. */
    public static final String CHECK_DURATION = "dockerflow.check.duration";

    /** Counter of heartbeats that reused a check's cached result, tagged {@code check}. */
    public static final String CHECK_CACHED = "dockerflow.check.cached";

    /** Gauge of each check's latest level number, tagged {@code check}. */
    public static final String CHECK_LEVEL = "dockerflow.check.level";

    private static final Level[] LEVELS = Level.values();
    private static final CheckResult.Outcome[] OUTCOMES = CheckResult.Outcome.values();

    private final Tags commonTags;
    private final List<Bound> bindings = new CopyOnWriteArrayList<>();
    private final AtomicInteger runLevel = new AtomicInteger();
    private final ConcurrentMap<String, AtomicInteger> checkLevels = new ConcurrentHashMap<>();

    private HeartbeatMetrics(Tags commonTags) {
        this.commonTags = commonTags;
    }

    /**
     * Metrics not yet bound to a registry; bind them with {@link #bindTo(MeterRegistry)}.
     *
     * @return new, unbound metrics
     */
    public static HeartbeatMetrics create() {
        return new HeartbeatMetrics(Tags.empty());
    }

    /**
     * Metrics not yet bound to a registry, whose meters all carry {@code tags} too.
     *
     * @param tags extra tags for every meter, e.g. {@code service=api}; keep them low-cardinality
     * @return new, unbound metrics
     */
    public static HeartbeatMetrics create(Iterable<Tag> tags) {
        return new HeartbeatMetrics(Tags.of(Objects.requireNonNull(tags, "tags")));
    }

    /**
     * Metrics bound to {@code registry}.
     *
     * @param registry where the meters go
     * @return new metrics, bound
     */
    public static HeartbeatMetrics create(MeterRegistry registry) {
        HeartbeatMetrics metrics = create();
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * Registers the run meters with {@code registry}, and the meters of every check
     * seen so far. May be called for several registries.
     *
     * @param registry the registry
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (Bound existing : bindings) {
            if (existing.registry == registry) {
                // bound already (say, by create(registry) and again by a framework that binds every
                // MeterBinder): a second binding would count every run twice
                return;
            }
        }
        Bound bound = new Bound(registry);
        checkLevels.forEach((name, level) -> bound.check(name, level));
        bindings.add(bound);
    }

    /**
     * Records one run: its result and level, its duration, and each check's level and
     * either its outcome and duration or, for a cached result, one more reuse.
     *
     * @param report the run's report
     */
    @Override
    public void onHeartbeat(HeartbeatReport report) {
        runLevel.set(report.level().value());
        List<CheckResult> results = report.results();
        for (CheckResult r : results) {
            AtomicInteger level = checkLevels.get(r.name());
            if (level == null) {
                level = checkLevels.computeIfAbsent(r.name(), name -> new AtomicInteger());
            }
            level.set(r.level().value());
        }
        for (Bound bound : bindings) {
            bound.record(report, results);
        }
    }

    @Override
    public String toString() {
        return "HeartbeatMetrics" + commonTags.stream().map(Tag::toString).toList();
    }

    /** The meters of one registry. */
    private final class Bound {
        private final MeterRegistry registry;
        private final Counter[] runs = new Counter[LEVELS.length];
        private final Timer passedDuration;
        private final Timer failedDuration;
        private final ConcurrentMap<String, CheckMeters> checkMeters = new ConcurrentHashMap<>();

        Bound(MeterRegistry registry) {
            this.registry = registry;
            for (Level level : LEVELS) {
                runs[level.ordinal()] = Counter.builder(RUNS)
                        .description("Heartbeat runs, by result and level")
                        .tags(commonTags)
                        .tag("result", result(level))
                        .tag("level", level.text())
                        .register(registry);
            }
            passedDuration = runTimer("passed");
            failedDuration = runTimer("failed");
            Gauge.builder(LEVEL, runLevel, AtomicInteger::get)
                    .description("Level number of the latest heartbeat run (40 and above: failed)")
                    .tags(commonTags)
                    .strongReference(true)
                    .register(registry);
        }

        private Timer runTimer(String result) {
            return Timer.builder(DURATION)
                    .description("How long heartbeat runs took")
                    .tags(commonTags)
                    .tag("result", result)
                    .register(registry);
        }

        void record(HeartbeatReport report, List<CheckResult> results) {
            Level level = report.level();
            runs[level.ordinal()].increment();
            (level.isFailure() ? failedDuration : passedDuration).record(report.duration());
            for (CheckResult r : results) {
                CheckMeters meters = checkMeters.get(r.name());
                if (meters == null) {
                    meters = check(r.name(), checkLevels.get(r.name()));
                }
                if (r.cached()) {
                    meters.cached.increment();
                } else {
                    meters.durations[r.outcome().ordinal()].record(r.duration());
                }
            }
        }

        CheckMeters check(String name, AtomicInteger level) {
            return checkMeters.computeIfAbsent(name, n -> {
                Tags tags = commonTags.and("check", n);
                Timer[] timers = new Timer[OUTCOMES.length];
                for (CheckResult.Outcome outcome : OUTCOMES) {
                    timers[outcome.ordinal()] = Timer.builder(CHECK_DURATION)
                            .description("How long a check ran, by outcome")
                            .tags(tags)
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry);
                }
                Counter cached = Counter.builder(CHECK_CACHED)
                        .description("Heartbeats that reused a cached result of the check instead of running it")
                        .tags(tags)
                        .register(registry);
                Gauge.builder(CHECK_LEVEL, level, AtomicInteger::get)
                        .description("Level number the check reported in the latest heartbeat run")
                        .tags(tags)
                        .strongReference(true)
                        .register(registry);
                return new CheckMeters(timers, cached);
            });
        }
    }

    /** A check's meters in one registry: a timer per outcome and the cache counter. */
    private record CheckMeters(Timer[] durations, Counter cached) {
    }

    private static String result(Level level) {
        return level.isFailure() ? "failed" : "passed";
    }
}
