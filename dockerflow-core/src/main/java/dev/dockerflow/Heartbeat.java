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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs the checks of a {@link CheckRegistry} and reports what they found.
 *
 * <ul>
 *   <li>Checks run off the caller's thread, concurrently where it matters: one virtual
 *       thread runs a heartbeat's checks one after another, and once a check has run
 *       for a millisecond the checks queued behind it get virtual threads of their own.
 *       Quick checks so cost one thread hand-off per heartbeat, and a heartbeat with
 *       slow checks takes about as long as its slowest check, not the sum.</li>
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
 * is nothing to close; a finished check leaves no thread behind. Callers wait without
 * a timed park: one daemon thread, shared by every heartbeat in the JVM and started
 * with the first run, wakes them at their deadlines.
 */
public final class Heartbeat {

    /** The check timeout used when neither the check nor the builder sets one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(3000);

    /** Id of the message reported for a check that timed out. */
    public static final String TIMEOUT_ID = "dockerflow.health.E011";

    /** Id of the message reported for a check that threw. */
    public static final String FAILURE_ID = "dockerflow.health.E012";

    /**
     * How long a check may run before the checks queued behind it on the same thread get
     * threads of their own.
     */
    static final long HAND_OFF_NANOS = 1_000_000;

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
        int n = slots.size();
        Execution[] executions = new Execution[n];
        List<Execution> fresh = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            executions[i] = slots.get(i).obtainExecution(fresh);
        }
        CheckResult[] results = new CheckResult[n];
        if (!fresh.isEmpty()) {
            startRunner(fresh);
        }
        Waiter waiter = new Waiter(executions);
        try {
            awaitAll(executions, results, waiter, waitStart);
        } catch (InterruptedException e) {
            // This caller is going away: answer it alone, and leave the shared executions,
            // which other heartbeats may be waiting on, untouched.
            Thread.currentThread().interrupt();
            for (int i = 0; i < n; i++) {
                if (results[i] == null && !executions[i].finished()) {
                    results[i] = slots.get(i).timedOutResult();
                }
            }
        } finally {
            waiter.leave(executions);
        }
        for (int i = 0; i < n; i++) {
            if (results[i] == null) {
                results[i] = executions[i].result.getNow(null);
            }
        }
        HeartbeatReport report = HeartbeatReport.of(List.of(results), Duration.ofNanos(nanoTime.getAsLong() - startedAt));
        notifyListeners(report);
        return report;
    }

    /**
     * Waits until every execution has finished or passed its deadline (timed-out ones get
     * their E011 result in {@code results}). Deadlines are handled shortest first, so a slow
     * check registered earlier never lets a later check with a shorter timeout overrun its own.
     * While waiting, executions still queued behind a check that has run for
     * {@link #HAND_OFF_NANOS} get threads of their own.
     */
    private void awaitAll(Execution[] executions, CheckResult[] results, Waiter waiter, long waitStart)
            throws InterruptedException {
        long handOffAt = waitStart + HAND_OFF_NANOS;
        boolean handedOff = false;
        int next = 0;
        while (true) {
            // the unfinished execution with the nearest deadline
            while (next < byTimeout.length && executions[byTimeout[next]].finished()) {
                next++;
            }
            if (next == byTimeout.length) {
                return;
            }
            int i = byTimeout[next];
            long deadline = waitStart + slots.get(i).timeoutNanos;
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                results[i] = executions[i].timedOut();
                waiter.giveUp(executions[i]);
                next++;
                continue;
            }
            boolean lookFirst = !handedOff && handOffAt - deadline < 0;
            waiter.await(lookFirst ? handOffAt : deadline);
            now = System.nanoTime();
            if (!handedOff && now - handOffAt >= 0) {
                long nextLook = handOffQueued(executions, now);
                handedOff = nextLook == now;
                handOffAt = nextLook;
            }
        }
    }

    /**
     * Starts a thread for every execution still queued behind a check that has run for
     * {@link #HAND_OFF_NANOS} or more. Returns when to look again, or {@code now} when no
     * execution is left queued, so there is no need to look again.
     */
    private static long handOffQueued(Execution[] executions, long now) {
        boolean queued = false;
        boolean stuck = false;
        long nextLook = now + HAND_OFF_NANOS;
        for (Execution e : executions) {
            int state = e.state.get();
            if (state == Execution.QUEUED) {
                queued = true;
            } else if (state == Execution.RUNNING) {
                long handOffDue = e.runningSince + HAND_OFF_NANOS;
                if (now - handOffDue >= 0) {
                    stuck = true;
                } else if (handOffDue - nextLook < 0) {
                    nextLook = handOffDue;
                }
            }
        }
        if (!queued) {
            return now;
        }
        if (!stuck) {
            return nextLook;
        }
        for (Execution e : executions) {
            if (e.state.get() == Execution.QUEUED) {
                startRunner(List.of(e));
            }
        }
        return now;
    }

    /**
     * Starts one virtual thread that runs the given executions one after another (each
     * unless another thread has taken it). Trivial checks so cost one thread hand-off per
     * heartbeat instead of one per check; a slow one is noticed by the waiting caller,
     * which gives the rest threads of their own.
     */
    private static void startRunner(List<Execution> queue) {
        try {
            Thread.ofVirtual().name(queue.getFirst().slot.threadName).start(() -> {
                for (Execution e : queue) {
                    e.runIfQueued();
                }
            });
        } catch (RuntimeException | Error e) {
            // no thread could be started: report it, and free the slots for the next heartbeat
            for (Execution execution : queue) {
                execution.failToStart(e);
            }
        }
    }

    /**
     * Runs the heartbeat without holding the caller's thread.
     *
     * @return the report to come; never completes exceptionally
     */
    public java.util.concurrent.CompletableFuture<HeartbeatReport> runAsync() {
        java.util.concurrent.CompletableFuture<HeartbeatReport> report = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> report.complete(run()));
        return report;
    }

    /** Stops what this heartbeat started. */
    void close() {
        // checks run on virtual threads that end with their check
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
        final String threadName;
        final AtomicReference<Execution> current = new AtomicReference<>();

        Slot(String name, Check check, Duration timeout) {
            this.name = name;
            this.check = check;
            this.timeout = timeout;
            this.timeoutNanos = timeout.toNanos();
            this.threadName = "dockerflow-check-" + name;
        }

        /** The execution in flight, or a new queued one (then also added to {@code fresh}). */
        Execution obtainExecution(List<Execution> fresh) {
            while (true) {
                Execution running = current.get();
                if (running != null && !running.finished()) {
                    return running;
                }
                Execution created = new Execution(this);
                if (current.compareAndSet(running, created)) {
                    fresh.add(created);
                    return created;
                }
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
        static final int QUEUED = 0;
        static final int RUNNING = 1;
        static final int DONE = 2;

        final Slot slot;
        final CompletableFuture<CheckResult> result = new CompletableFuture<>();
        final AtomicBoolean timedOut = new AtomicBoolean();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The thread running the check, while {@link #state} is RUNNING; guarded by {@code this}. */
        Thread thread;
        /** Callers waiting for the result; null once complete; guarded by {@code this}. */
        List<Waiter> waiters = new ArrayList<>(2);
        volatile long runningSince;

        Execution(Slot slot) {
            this.slot = slot;
        }

        boolean finished() {
            return result.isDone();
        }

        private void complete(CheckResult r) {
            if (!result.complete(r)) {
                return;
            }
            List<Waiter> toWake;
            synchronized (this) {
                toWake = waiters;
                waiters = null;
            }
            for (Waiter w : toWake) {
                w.finished();
            }
        }

        /** Adds a waiter; false if the result is already in. */
        synchronized boolean addWaiter(Waiter w) {
            if (waiters == null) {
                return false;
            }
            waiters.add(w);
            return true;
        }

        /** Removes a waiter; false if it was not waiting (the result is in, or it left). */
        synchronized boolean removeWaiter(Waiter w) {
            return waiters != null && waiters.remove(w);
        }

        /** Runs the check on the current thread, unless another thread took it first. */
        void runIfQueued() {
            synchronized (this) {
                if (!state.compareAndSet(QUEUED, RUNNING)) {
                    return;
                }
                runningSince = System.nanoTime();
                thread = Thread.currentThread();
            }
            // a thread dump names the check a thread is in
            Thread.currentThread().setName(slot.threadName);
            try {
                execute();
            } finally {
                synchronized (this) {
                    state.set(DONE);
                    thread = null;
                }
                // an interrupt sent for this execution's timeout must not reach the next check
                Thread.interrupted();
            }
        }

        void failToStart(Throwable t) {
            if (state.compareAndSet(QUEUED, DONE)) {
                complete(slot.failed(t, Duration.ZERO));
            }
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
                    complete(outcome != null ? outcome : slot.timedOutResult());
                }
            }
        }

        CheckResult timedOut() {
            CheckResult done = result.getNow(null);
            if (done != null) {
                // it finished just as its deadline passed: that is not a timeout
                return done;
            }
            CheckResult r = slot.timedOutResult();
            if (timedOut.compareAndSet(false, true)) {
                r.messages().forEach(Heartbeat::log);
                synchronized (this) {
                    if (state.compareAndSet(QUEUED, DONE)) {
                        // never started (its runner was stuck behind another check): free the slot
                        complete(r);
                    } else if (state.get() == RUNNING && thread != null) {
                        thread.interrupt();
                    }
                }
            }
            return r;
        }
    }

    /**
     * One caller waiting for a set of executions: parks until the last of them finishes
     * or a deadline passes, however many there are.
     */
    private static final class Waiter {
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger unfinished = new AtomicInteger();

        Waiter(Execution[] executions) {
            // count first, so an execution finishing meanwhile cannot take the count to zero early
            unfinished.set(executions.length + 1);
            int notAdded = 1;
            for (Execution e : executions) {
                if (!e.addWaiter(this)) {
                    notAdded++;
                }
            }
            unfinished.addAndGet(-notAdded);
        }

        void finished() {
            if (unfinished.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }

        /** Stops waiting for an execution that passed its deadline. */
        void giveUp(Execution e) {
            if (e.removeWaiter(this)) {
                unfinished.decrementAndGet();
            }
        }

        /** Parks until {@code untilNanos} ({@link System#nanoTime()} time), or until every execution has finished. */
        void await(long untilNanos) throws InterruptedException {
            if (unfinished.get() == 0) {
                return;
            }
            // an untimed park, woken by the last execution or by the shared timer
            WakeUpTimer.WakeUp wakeUp = WakeUpTimer.SHARED.wakeAt(untilNanos);
            try {
                while (unfinished.get() > 0 && untilNanos - System.nanoTime() > 0) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            } finally {
                wakeUp.cancel();
            }
        }

        /** Stops listening to executions still running (a hung check may outlive many callers). */
        void leave(Execution[] executions) {
            for (Execution e : executions) {
                if (!e.finished()) {
                    e.removeWaiter(this);
                }
            }
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
