package dev.dockerflow;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One registered check and its shared execution: at most one run of the check is in
 * flight at any time, and every heartbeat that asks meanwhile gets that run's answer.
 *
 * <p>An answer is a {@link CompletableFuture} that the run completes with its result, or
 * its {@link CheckRunner} completes at the run's deadline with {@code dockerflow.health.E011};
 * the run is then interrupted. A run that ignores the interrupt keeps the slot until it
 * really returns, and while it does, heartbeats are answered E011 at once and start no
 * second run. A result may be reused for the check's cache duration after its run finished;
 * a run answered at its deadline never is.
 *
 * <p>Thread-safe.
 */
final class CheckSlot {

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    static {
        JdkTimer.startWithNeutralContext();
    }

    private final String name;
    private final Check check;
    private final long timeoutNanos;
    private final long cacheNanos;
    private final String threadName;
    private final CheckOutcomes outcomes;
    private final LongSupplier nanoTime;
    private final AtomicReference<Execution> current = new AtomicReference<>();
    /** The answer heartbeats reuse until its run is {@link #cacheNanos} old; null when none. */
    private volatile Cached cached;
    private volatile boolean closed;
    /** A run timed out and no heartbeat has logged its E011 yet. */
    private final AtomicBoolean timeoutToLog = new AtomicBoolean();
    private final CompletableFuture<CheckResult> closedAnswer;

    CheckSlot(String name, Check check, CheckOptions options, Duration defaultTimeout, Duration defaultCacheFor,
            Set<String> silencedIds, LongSupplier nanoTime) {
        this.name = name;
        this.check = check;
        Duration timeout = options.timeout().orElse(defaultTimeout);
        this.timeoutNanos = timeout.toNanos();
        this.cacheNanos = options.cacheFor().orElse(defaultCacheFor).toNanos();
        this.threadName = "dockerflow-check-" + name;
        this.outcomes = new CheckOutcomes(name, timeout, options.nonCritical(), silencedIds);
        this.nanoTime = nanoTime;
        IllegalStateException closedFailure = new IllegalStateException("the heartbeat is closed");
        this.closedAnswer = CompletableFuture.completedFuture(outcomes.failed(closedFailure, 0));
    }

    String name() {
        return name;
    }

    /**
     * The answer for a heartbeat that started at {@code now} (injected clock): a cached
     * result, the answer of the run in flight, E011 at once when that run is hung, or the
     * answer of a new run, added to {@code runner} to be started.
     *
     * @param now the heartbeat's start
     * @param requestId the heartbeat request's ID, bound on the check's thread; may be null
     * @param runner where a new run goes
     */
    CompletableFuture<CheckResult> answer(long now, String requestId, CheckRunner runner) {
        while (true) {
            if (closed) {
                return closedAnswer;
            }
            Execution running = current.get();
            if (running != null && !running.finished) {
                if (running.answer.isDone()) {
                    // answered E011 at its deadline and still not returned: do not wait for it again
                    long at = nanoTime.getAsLong();
                    CheckResult hung = outcomes.hung(at - running.startedAt);
                    outcomes.logHung(hung, at);
                    return CompletableFuture.completedFuture(hung);
                }
                return running.answer;
            }
            Cached c = cached;
            if (c != null && now - c.finishedAt < cacheNanos) {
                return c.answer;
            }
            Execution created = new Execution(now, requestId, runner);
            if (current.compareAndSet(running, created)) {
                runner.add(created);
                if (closed) {
                    created.stop(closedAnswer.join());
                }
                return created.answer;
            }
        }
    }

    /**
     * Whether {@code result} is the E011 given at a run's deadline; the first heartbeat that
     * reports one logs it, on its own thread.
     */
    boolean isTimeout(CheckResult result) {
        return result == outcomes.timedOut();
    }

    /** Logs the E011 of the latest run that timed out, unless a heartbeat logged it already. */
    void logTimeout() {
        if (timeoutToLog.compareAndSet(true, false)) {
            outcomes.logTimedOut();
        }
    }

    /** Whether a run of this check is in flight (including one that outlived its timeout). */
    boolean inFlight() {
        Execution e = current.get();
        return e != null && !e.finished;
    }

    /** Answers the run in flight, if any, with E012 and interrupts it; later answers are E012 without a run. */
    void close() {
        closed = true;
        cached = null;
        Execution e = current.get();
        if (e != null && !e.finished) {
            e.stop(closedAnswer.join());
        }
    }

    /** A reusable answer and when (injected clock) the run that found it finished. */
    private record Cached(CompletableFuture<CheckResult> answer, long finishedAt) {
    }

    /** One run of the check, shared by every heartbeat that asks while it is in flight. */
    final class Execution {
        final long startedAt;
        final String requestId;
        final CheckRunner runner;
        final CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The thread running the check while {@link #state} is RUNNING; guarded by {@code this}. */
        Thread thread;
        /** The check has returned (or will never run): the slot is free. */
        volatile boolean finished;

        Execution(long startedAt, String requestId, CheckRunner runner) {
            this.startedAt = startedAt;
            this.requestId = requestId;
            this.runner = runner;
        }

        String threadName() {
            return threadName;
        }

        long timeoutNanos() {
            return timeoutNanos;
        }

        boolean isQueued() {
            return state.get() == QUEUED;
        }

        boolean isAnswered() {
            return answer.isDone();
        }

        private boolean answer(CheckResult result) {
            if (answer.complete(result)) {
                runner.answered();
                return true;
            }
            return false;
        }

        /** No thread could be started for this run: reports it and frees the slot. */
        void failToStart(Throwable t) {
            if (state.compareAndSet(QUEUED, DONE)) {
                finished = true;
                answer(outcomes.failed(t, 0));
            }
        }

        /**
         * At the deadline (on the JDK's timer thread): answers E011 and interrupts the run. Its
         * log line is left to the first heartbeat that reports it ({@link CheckSlot#logTimeout()}), so
         * that the timer thread does no I/O.
         */
        void timeOut() {
            if (answer.isDone()) {
                return;
            }
            // noted before the answer, so that no heartbeat sees the hang before its log interval is set
            outcomes.noteTimedOut(nanoTime.getAsLong());
            timeoutToLog.set(true);
            if (answer(outcomes.timedOut())) {
                stop(null);
            }
        }

        /** Answers {@code result} unless answered already, and interrupts the run (or drops it when queued). */
        void stop(CheckResult result) {
            if (result != null) {
                answer(result);
            }
            synchronized (this) {
                if (state.compareAndSet(QUEUED, DONE)) {
                    finished = true;
                } else if (thread != null) {
                    thread.interrupt();
                }
            }
        }

        /** Runs the check on the current thread, unless another thread took it or it was dropped. */
        void run() {
            Thread self = Thread.currentThread();
            synchronized (this) {
                if (!state.compareAndSet(QUEUED, RUNNING)) {
                    return;
                }
                thread = self;
            }
            // a thread dump names the check a thread is in
            self.setName(threadName);
            CheckResult result = null;
            RequestId.Scope scope = bind(requestId);
            try {
                result = runCheck();
            } finally {
                if (result == null) {
                    outcomes.logLateReturn(nanoTime.getAsLong() - startedAt);
                }
                // unbound before the answer: heartbeats that continue on this thread bind their own
                scope.close();
                synchronized (this) {
                    state.set(DONE);
                    thread = null;
                }
                // an interrupt sent for this run's timeout must not reach the next check on this thread
                Thread.interrupted();
                done(result);
            }
        }

        /** Runs the check and logs what it found; null when the run was answered E011 (or closed) already. */
        private CheckResult runCheck() {
            long began = nanoTime.getAsLong();
            try {
                List<CheckMessage> found = check.run();
                if (found == null) {
                    throw new IllegalStateException("check '" + name + "' returned null instead of a list");
                }
                CheckResult result = outcomes.completed(List.copyOf(found), nanoTime.getAsLong() - began);
                if (answer.isDone()) {
                    return null;
                }
                outcomes.logCompleted(result);
                return result;
            } catch (Throwable t) {
                if (answer.isDone()) {
                    // most likely the interrupt sent at the deadline; E011 was reported and logged
                    return null;
                }
                CheckResult result = outcomes.failed(t, nanoTime.getAsLong() - began);
                outcomes.logFailed(result, t);
                return result;
            }
        }

        private void done(CheckResult result) {
            if (result != null && cacheNanos > 0) {
                cached = new Cached(CompletableFuture.completedFuture(result.asCached()), nanoTime.getAsLong());
            }
            finished = true;
            if (result != null) {
                answer(result);
            }
        }
    }

    /** Binds {@code requestId} on this thread, unless it is null or the thread has an ID bound already. */
    static RequestId.Scope bind(String requestId) {
        if (requestId == null || RequestId.current().isPresent()) {
            return () -> { };
        }
        return RequestId.bind(requestId);
    }
}
