package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Runs the checks of a {@link CheckRegistry} and reports what they found.
 *
 * <ul>
 *   <li>Checks never run on the caller's thread. The checks a heartbeat starts run one
 *       after another on one virtual thread; after a millisecond, those still waiting get
 *       virtual threads of their own, so a heartbeat of slow checks takes about as long as
 *       its slowest check, not the sum.</li>
 *   <li>Each check has a timeout (its own, or the service's default of 3000 ms). A check
 *       still running at its timeout reports {@code dockerflow.health.E011} and is
 *       interrupted; a check that throws reports {@code dockerflow.health.E012}. Neither
 *       fails the heartbeat itself, which always answers within the largest timeout plus a
 *       small margin.</li>
 *   <li>Single flight: at most one run of each check is in flight at any time. A heartbeat
 *       that arrives while a check runs shares that run's result instead of starting
 *       another, so a storm of requests never multiplies the load on a backend. A check that
 *       ignores the interrupt keeps its slot until it really returns; meanwhile heartbeats
 *       answer E011 for it at once (saying how long it has been running) and start no
 *       second run.</li>
 *   <li>A check with a cache duration ({@link CheckOptions#cacheFor()}, default
 *       {@code DOCKERFLOW_CHECK_CACHE_MS}) is not run again until that long after its last
 *       run finished: heartbeats meanwhile reuse its result, marked
 *       {@link CheckResult#cached()}. A run that outlived its timeout is not reused.</li>
 *   <li>A non-critical check ({@link CheckOptions#nonCritical()}) reports its E011 and E012
 *       as warnings.</li>
 *   <li>Messages with a silenced id are dropped before a level is computed.</li>
 *   <li>Each message is logged once per run on the {@code dockerflow.checks.registry}
 *       {@link System.Logger} as {@code <id>: <text>}, at the matching level: what a check
 *       found from the check's thread, with the request ID of the heartbeat that started the
 *       run bound ({@link RequestId#current()}); E011 from the thread of the heartbeat that
 *       reports it first. A check's exception is logged there with its stack trace, at ERROR
 *       once per distinct failure and at DEBUG while it repeats; a check that stays hung is
 *       logged at WARNING again at most once a minute.</li>
 *   <li>Every {@link HeartbeatListener} hears every run.</li>
 * </ul>
 *
 * <p>Waiting is the JDK's: each run of a check has a {@link CompletableFuture} completed by
 * the check or, at its deadline, from a {@link CompletableFuture#completeOnTimeout}; a
 * heartbeat joins these futures. The library starts no thread that outlives the checks it
 * runs.
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class Heartbeat {

    /** The check timeout used when neither the check nor the service sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);

    /** Id of the message reported for a check that timed out. */
    public static final String TIMEOUT_ID = "dockerflow.health.E011";

    /** Id of the message reported for a check that threw. */
    public static final String FAILURE_ID = "dockerflow.health.E012";

    private static final Logger LOGGER = System.getLogger(Heartbeat.class.getName());

    /**
     * Where an asynchronous heartbeat builds its report and calls its listeners once the
     * last answer is in: on the thread that completed it when that is a check's virtual
     * thread, else (the JDK's timer thread, at a timeout) on a new virtual thread, so that
     * listeners never hold up the timer every timeout of the JVM depends on.
     */
    private static final Executor AFTER_ANSWERS = task -> {
        if (Thread.currentThread().isVirtual()) {
            task.run();
            return;
        }
        try {
            Thread.ofVirtual().name("dockerflow-heartbeat").start(task);
        } catch (RuntimeException | Error e) {
            task.run();
        }
    };

    private final CheckSlot[] slots;
    private final List<String> checkNames;
    private final List<HeartbeatListener> listeners;
    private final List<WarnThenDebugLogger> listenerFailureLogs;
    private final Set<String> silencedIds;
    private final LongSupplier nanoTime;

    private Heartbeat(CheckSlot[] slots, Set<String> silencedIds, List<HeartbeatListener> listeners,
            LongSupplier nanoTime) {
        this.slots = slots;
        this.checkNames = Arrays.stream(slots).map(CheckSlot::name).toList();
        this.silencedIds = silencedIds;
        this.listeners = listeners;
        List<WarnThenDebugLogger> logs = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            logs.add(new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING));
        }
        this.listenerFailureLogs = List.copyOf(logs);
        this.nanoTime = nanoTime;
    }

    /**
     * A heartbeat over {@code registry}.
     *
     * @param registry the checks
     * @param defaultTimeout the timeout of checks that set none
     * @param defaultCacheFor the cache duration of checks that set none; zero is off
     * @param silencedIds message ids to drop
     * @param listeners called after every run, in order
     * @param nanoTime monotonic nanoseconds for durations, cache ages and log intervals;
     *        timeouts are always waited in real time
     * @return the heartbeat
     */
    static Heartbeat create(CheckRegistry registry, Duration defaultTimeout, Duration defaultCacheFor,
            Set<String> silencedIds, List<HeartbeatListener> listeners, LongSupplier nanoTime) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        Objects.requireNonNull(defaultCacheFor, "defaultCacheFor");
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (defaultTimeout.toMillis() < 1 || defaultTimeout.compareTo(DockerflowConfig.MAX_CHECK_TIMEOUT) > 0) {
            throw new IllegalArgumentException("default check timeout must be from 1 ms to one hour, got " + defaultTimeout);
        }
        if (defaultCacheFor.isNegative() || defaultCacheFor.compareTo(CheckOptions.MAX_CACHE) > 0) {
            throw new IllegalArgumentException("default check cache duration must be from 0 to one hour, got " + defaultCacheFor);
        }
        Set<String> silenced = Set.copyOf(silencedIds);
        List<CheckRegistry.Registration> registrations = registry.registrations();
        CheckSlot[] slots = new CheckSlot[registrations.size()];
        for (int i = 0; i < slots.length; i++) {
            CheckRegistry.Registration r = registrations.get(i);
            slots[i] = new CheckSlot(r.name(), r.check(), r.options(), defaultTimeout, defaultCacheFor, silenced, nanoTime);
        }
        return new Heartbeat(slots, silenced, List.copyOf(listeners), nanoTime);
    }

    /**
     * Runs every check (or joins its run in flight, or reuses its cached result) and returns
     * the report once every answer is in, at the latest when the largest timeout has passed.
     * Then tells every listener. Never throws because of a check or a listener.
     *
     * <p>The wait does not end early when the calling thread is interrupted: it is bounded by
     * the timeouts anyway, and ending it would report checks as timed out that were merely
     * not waited for. The thread's interrupt status is kept.
     *
     * @return the report
     */
    public HeartbeatReport run() {
        long startedAt = nanoTime.getAsLong();
        CompletableFuture<CheckResult>[] answers = answers(startedAt, RequestId.current().orElse(null));
        CheckResult[] results = new CheckResult[answers.length];
        for (int i = 0; i < answers.length; i++) {
            // join() waits without a timed park (each answer has a deadline of its own) and keeps an interrupt
            results[i] = answers[i].join();
        }
        return report(results, startedAt);
    }

    /**
     * Runs the heartbeat without holding the calling thread: as {@link #run()}, with the
     * report (and the listeners) completed on the thread of the check that answered last,
     * or on a new virtual thread when a timeout answered last. For adapters that can suspend
     * a request.
     *
     * @return the report, within the largest timeout plus a small margin; never completes
     *         exceptionally
     */
    public CompletableFuture<HeartbeatReport> runAsync() {
        long startedAt = nanoTime.getAsLong();
        String requestId = RequestId.current().orElse(null);
        CompletableFuture<CheckResult>[] answers = answers(startedAt, requestId);
        boolean allIn = true;
        for (CompletableFuture<CheckResult> a : answers) {
            allIn &= a.isDone();
        }
        if (allIn) {
            return CompletableFuture.completedFuture(report(joined(answers), startedAt));
        }
        return CompletableFuture.allOf(answers).handleAsync((allDone, failure) -> {
            RequestId.Scope scope = CheckSlot.bind(requestId);
            try {
                return report(joined(answers), startedAt);
            } finally {
                scope.close();
            }
        }, AFTER_ANSWERS);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<CheckResult>[] answers(long startedAt, String requestId) {
        CompletableFuture<CheckResult>[] answers = new CompletableFuture[slots.length];
        CheckRunner runner = new CheckRunner();
        for (int i = 0; i < slots.length; i++) {
            answers[i] = slots[i].answer(startedAt, requestId, runner);
        }
        if (!runner.isEmpty()) {
            runner.start();
        }
        return answers;
    }

    private static CheckResult[] joined(CompletableFuture<CheckResult>[] answers) {
        CheckResult[] results = new CheckResult[answers.length];
        for (int i = 0; i < answers.length; i++) {
            results[i] = answers[i].join();
        }
        return results;
    }

    private HeartbeatReport report(CheckResult[] results, long startedAt) {
        for (int i = 0; i < results.length; i++) {
            if (slots[i].isTimeout(results[i])) {
                slots[i].logTimeout();
            }
        }
        HeartbeatReport report = HeartbeatReport.of(Arrays.asList(results),
                Duration.ofNanos(nanoTime.getAsLong() - startedAt));
        for (int i = 0; i < listeners.size(); i++) {
            HeartbeatListener listener = listeners.get(i);
            try {
                listener.onHeartbeat(report);
                listenerFailureLogs.get(i).reset();
            } catch (RuntimeException | LinkageError e) {
                listenerFailureLogs.get(i).log("Heartbeat listener " + listener + " failed; the heartbeat answer is unchanged", e);
            }
        }
        return report;
    }

    /**
     * The names of the checks this heartbeat runs, in registration order.
     *
     * @return an immutable list
     */
    public List<String> checkNames() {
        return checkNames;
    }

    /**
     * The message ids this heartbeat drops.
     *
     * @return an immutable set
     */
    public Set<String> silencedIds() {
        return silencedIds;
    }

    /**
     * The number of check runs in flight right now (including ones that outlived their
     * timeout and have not returned yet).
     *
     * @return runs in flight
     */
    public int executionsInFlight() {
        int n = 0;
        for (CheckSlot slot : slots) {
            if (slot.inFlight()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stops what this heartbeat started: every check run in flight is answered and
     * interrupted (a check that ignores the interrupt runs on until it returns; nothing can
     * stop it). Afterwards the heartbeat runs no check: every check reports
     * {@code dockerflow.health.E012} {@code Check failed: IllegalStateException: the
     * heartbeat is closed}, so a request that races the shutdown still gets an answer.
     * Idempotent.
     */
    void close() {
        for (CheckSlot slot : slots) {
            slot.close();
        }
    }
}
