package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs the checks of a {@link CheckRegistry} and reports what they found.
 *
 * <ul>
 *   <li>Checks run concurrently, each on its own virtual thread, so a heartbeat takes
 *       as long as its slowest check, not the sum.</li>
 *   <li>Each check has a timeout (its own, or the default of 3000 ms). A check still
 *       running when its timeout passes reports {@code dockerflow.health.E011} and is
 *       interrupted; a check that throws reports {@code dockerflow.health.E012}. Neither
 *       fails {@link #run()}, which always returns within the largest timeout plus a
 *       small margin.</li>
 *   <li>Single flight: at most one execution of each check is in flight at any time.
 *       A heartbeat that arrives while a check is running shares that execution's
 *       result instead of starting another, so a storm of requests never multiplies
 *       the load on a backend; a check that ignores interruption keeps its slot until
 *       it really returns.</li>
 *   <li>Messages with a silenced id are dropped before a level is computed.</li>
 *   <li>Each message is logged once per execution on the {@code dockerflow.checks}
 *       {@link System.Logger} as {@code <id>: <text>}, at the matching level.</li>
 *   <li>Every {@link HeartbeatListener} hears every run.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves all requests. It owns no thread pool, so there
 * is nothing to close; a finished check leaves no thread behind.
 */
public final class Heartbeat {

    /** The check timeout used when neither the check nor the builder sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);

    /** Id of the message reported for a check that timed out. */
    public static final String TIMEOUT_ID = "dockerflow.health.E011";

    /** Id of the message reported for a check that threw. */
    public static final String FAILURE_ID = "dockerflow.health.E012";

    static final Logger CHECKS_LOGGER = System.getLogger("dockerflow.checks");
    private static final Logger LOGGER = System.getLogger(Heartbeat.class.getName());

    private final List<Slot> slots;
    private final int[] byTimeout;
    private final List<HeartbeatListener> listeners;
    private final List<WarnThenDebugLogger> listenerFailureLogs;
    private final Set<String> silencedIds;
    private final LongSupplier nanoTime;

    private Heartbeat(Builder b) {
        this.silencedIds = Set.copyOf(b.silencedIds);
        this.nanoTime = b.nanoTime;
        List<Slot> s = new ArrayList<>();
        for (CheckRegistry.Registration r : b.registry.registrations()) {
            s.add(new Slot(r.name(), r.check(), r.timeout().orElse(b.defaultTimeout)));
        }
        this.slots = List.copyOf(s);
        this.byTimeout = java.util.stream.IntStream.range(0, slots.size()).boxed()
                .sorted(java.util.Comparator.comparingLong(i -> slots.get(i).timeoutNanos))
                .mapToInt(Integer::intValue).toArray();
        this.listeners = List.copyOf(b.listeners);
        List<WarnThenDebugLogger> logs = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            logs.add(new WarnThenDebugLogger(LOGGER, Logger.Level.WARNING));
        }
        this.listenerFailureLogs = List.copyOf(logs);
    }

    /**
     * Starts a heartbeat with no checks, the default timeout, nothing silenced and no
     * listeners.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every check (or joins its execution already in flight) and returns the
     * report once all results are in or their timeouts have passed. Then tells every
     * listener. Never throws because of a check or a listener.
     *
     * @return the report
     */
    public HeartbeatReport run() {
        long startedAt = nanoTime.getAsLong();
        long waitStart = System.nanoTime();
        List<Execution> executions = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            executions.add(slot.obtainExecution());
        }
        // Wait in order of deadline, shortest first, so a slow check registered earlier
        // never lets a later check with a shorter timeout overrun its own.
        CheckResult[] results = new CheckResult[slots.size()];
        for (int i : byTimeout) {
            results[i] = slots.get(i).await(executions.get(i), waitStart);
        }
        HeartbeatReport report = HeartbeatReport.of(List.of(results), Duration.ofNanos(nanoTime.getAsLong() - startedAt));
        notifyListeners(report);
        return report;
    }

    private void notifyListeners(HeartbeatReport report) {
        for (int i = 0; i < listeners.size(); i++) {
            HeartbeatListener listener = listeners.get(i);
            try {
                listener.onHeartbeat(report);
                listenerFailureLogs.get(i).reset();
            } catch (RuntimeException | LinkageError e) {
                listenerFailureLogs.get(i).log("Heartbeat listener " + listener + " failed; the heartbeat answer is unchanged", e);
            }
        }
    }

    /**
     * The names of the checks this heartbeat runs, in registration order.
     *
     * @return an immutable list
     */
    public List<String> checkNames() {
        return slots.stream().map(s -> s.name).toList();
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
     * The number of check executions that are running right now (including ones that
     * outlived their timeout and have not returned yet).
     *
     * @return executions in flight
     */
    public int executionsInFlight() {
        int n = 0;
        for (Slot slot : slots) {
            Execution e = slot.current.get();
            if (e != null && !e.finished()) {
                n++;
            }
        }
        return n;
    }

    private List<CheckMessage> withoutSilenced(List<CheckMessage> messages) {
        if (silencedIds.isEmpty() || messages.isEmpty()) {
            return messages;
        }
        List<CheckMessage> kept = new ArrayList<>(messages.size());
        for (CheckMessage m : messages) {
            if (!silencedIds.contains(m.id())) {
                kept.add(m);
            }
        }
        return kept;
    }

    private static void log(CheckMessage m) {
        Logger.Level level = switch (m.level()) {
            case DEBUG -> Logger.Level.DEBUG;
            case INFO -> Logger.Level.INFO;
            case WARNING -> Logger.Level.WARNING;
            default -> Logger.Level.ERROR;
        };
        try {
            if (CHECKS_LOGGER.isLoggable(level)) {
                CHECKS_LOGGER.log(level, m.id() + ": " + m.text());
            }
        } catch (RuntimeException e) {
            // a broken logging backend must not break the heartbeat; there is nowhere left to report it
        }
    }

    private static String describe(Throwable t) {
        String type = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
        return t.getMessage() == null ? type : type + ": " + t.getMessage();
    }

    /** One registered check and its execution in flight, if any. */
    private final class Slot {
        final String name;
        final Check check;
        final Duration timeout;
        final long timeoutNanos;
        final AtomicReference<Execution> current = new AtomicReference<>();

        Slot(String name, Check check, Duration timeout) {
            this.name = name;
            this.check = check;
            this.timeout = timeout;
            this.timeoutNanos = timeout.toNanos();
        }

        Execution obtainExecution() {
            while (true) {
                Execution running = current.get();
                if (running != null && !running.finished()) {
                    return running;
                }
                Execution fresh = new Execution(this);
                if (current.compareAndSet(running, fresh)) {
                    try {
                        fresh.start();
                    } catch (RuntimeException | Error e) {
                        // no thread could be started: report it, and free the slot for the next heartbeat
                        fresh.result.complete(failed(e, Duration.ZERO));
                    }
                    return fresh;
                }
            }
        }

        CheckResult await(Execution execution, long waitStart) {
            long remaining = timeoutNanos - (System.nanoTime() - waitStart);
            try {
                return execution.result.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return execution.timedOut();
            } catch (InterruptedException e) {
                // This caller is going away: answer it alone, and leave the shared execution,
                // which other heartbeats may be waiting on, untouched.
                Thread.currentThread().interrupt();
                return timedOutResult();
            } catch (ExecutionException e) {
                // result is only ever completed normally; kept for completeness of the contract
                return failed(e.getCause(), Duration.ZERO);
            }
        }

        CheckResult timedOutResult() {
            CheckMessage m = CheckMessage.error(TIMEOUT_ID, "Check timed out after " + timeout.toMillis() + " ms");
            return result(List.of(m), timeout, CheckResult.Outcome.TIMED_OUT);
        }

        CheckResult failed(Throwable t, Duration duration) {
            CheckMessage m = CheckMessage.error(FAILURE_ID, "Check failed: " + describe(t));
            return result(List.of(m), duration, CheckResult.Outcome.FAILED);
        }

        CheckResult result(List<CheckMessage> messages, Duration duration, CheckResult.Outcome outcome) {
            List<CheckMessage> kept = withoutSilenced(messages);
            return new CheckResult(name, CheckResult.highest(kept), kept, duration, outcome);
        }
    }

    /** One run of one check, shared by every heartbeat that asks while it is in flight. */
    private final class Execution {
        final Slot slot;
        final CompletableFuture<CheckResult> result = new CompletableFuture<>();
        final AtomicBoolean timedOut = new AtomicBoolean();
        volatile Thread thread;

        Execution(Slot slot) {
            this.slot = slot;
        }

        void start() {
            thread = Thread.ofVirtual().name("dockerflow-check-" + slot.name).start(this::execute);
        }

        boolean finished() {
            return result.isDone();
        }

        private void execute() {
            long began = nanoTime.getAsLong();
            CheckResult outcome = null;
            try {
                List<CheckMessage> found = slot.check.run();
                if (found == null) {
                    throw new IllegalStateException("check '" + slot.name + "' returned null instead of a list");
                }
                outcome = slot.result(List.copyOf(found), Duration.ofNanos(nanoTime.getAsLong() - began),
                        CheckResult.Outcome.COMPLETED);
            } catch (Throwable t) {
                // After the timeout this is most likely the interrupt it sent; E011 was already reported and logged.
                outcome = timedOut.get()
                        ? slot.timedOutResult()
                        : slot.failed(t, Duration.ofNanos(nanoTime.getAsLong() - began));
            } finally {
                try {
                    if (outcome != null && outcome.outcome() != CheckResult.Outcome.TIMED_OUT) {
                        outcome.messages().forEach(Heartbeat::log);
                    }
                } finally {
                    // whatever happened, the slot is freed for the next heartbeat
                    result.complete(outcome != null ? outcome : slot.timedOutResult());
                }
            }
        }

        CheckResult timedOut() {
            CheckResult r = slot.timedOutResult();
            if (timedOut.compareAndSet(false, true)) {
                r.messages().forEach(Heartbeat::log);
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
            }
            return r;
        }
    }

    /** Configures a {@link Heartbeat}; not thread-safe, build on one thread. */
    public static final class Builder {
        private CheckRegistry registry = CheckRegistry.empty();
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private Set<String> silencedIds = Set.of();
        private final List<HeartbeatListener> listeners = new ArrayList<>();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /**
         * The checks to run.
         *
         * @param registry the checks
         * @return this builder
         */
        public Builder checks(CheckRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The timeout of checks registered without one (default 3000 ms).
         *
         * @param timeout at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException if the timeout is below 1 ms
         */
        public Builder defaultTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(DockerflowConfig.MAX_CHECK_TIMEOUT) > 0) {
                throw new IllegalArgumentException("default check timeout must be from 1 ms to one hour, got " + timeout);
            }
            this.defaultTimeout = timeout;
            return this;
        }

        /**
         * Message ids to drop from every check's result.
         *
         * @param ids silenced ids, e.g. {@code dockerflow.health.W001}
         * @return this builder
         */
        public Builder silencedIds(Collection<String> ids) {
            this.silencedIds = Set.copyOf(Objects.requireNonNull(ids, "ids"));
            return this;
        }

        /**
         * Adds a listener called after every run.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(HeartbeatListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The source of monotonic nanoseconds used to measure durations (default
         * {@link System#nanoTime()}); tests pass a controllable one. Timeouts are
         * always waited in real time.
         *
         * @param nanoTime a monotonic nanosecond source
         * @return this builder
         */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Builds the heartbeat.
         *
         * @return the heartbeat
         */
        public Heartbeat build() {
            return new Heartbeat(this);
        }
    }
}
