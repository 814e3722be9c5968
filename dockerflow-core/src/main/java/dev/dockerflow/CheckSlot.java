package dev.dockerflow;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One registered check and its shared execution: at most one run of the check is in
 * flight at any time, and every heartbeat that asks meanwhile gets that run's answer.
 *
 * <p>An answer is a {@link CompletableFuture} that the run completes with its result, or
 * the JDK completes at the run's deadline ({@link CompletableFuture#completeOnTimeout})
 * with {@code dockerflow.health.E011}; the run is then interrupted. A run that ignores the
 * interrupt keeps the slot until it really returns, and while it does, heartbeats are
 * answered E011 at once and start no second run. A result may be reused for the check's
 * cache duration after its run finished.
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
    private final CompletableFuture<CheckResult> closedAnswer;

    CheckSlot(String name, Check check, CheckOptions options, Duration defaultTimeout, Duration defaultCacheFor,
            java.util.Set<String> silencedIds, LongSupplier nanoTime) {
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
     * answer of a new run, started here.
     *
     * @param now the heartbeat's start
     * @param requestId the heartbeat request's ID, bound on the check's thread; may be null
     */
    CompletableFuture<CheckResult> answer(long now, String requestId) {
        while (true) {
            if (closed) {
                return closedAnswer;
            }
            Execution running = current.get();
            if (running != null && !running.finished) {
                if (running.answer.isDone()) {
                    // answered E011 at its deadline and still not returned: do not wait for it again
                    CheckResult hung = outcomes.hung(nanoTime.getAsLong() - running.startedAt);
                    outcomes.logHung(hung, nanoTime.getAsLong());
                    return CompletableFuture.completedFuture(hung);
                }
                return running.answer;
            }
            Cached c = cached;
            if (c != null && now - c.finishedAt < cacheNanos) {
                return c.answer;
            }
            Execution created = new Execution(now, requestId);
            if (current.compareAndSet(running, created)) {
                created.start();
                if (closed) {
                    created.stop(closedAnswer.join());
                }
                return created.answer;
            }
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
    private final class Execution {
        final long startedAt;
        final String requestId;
        final CompletableFuture<CheckResult> answer = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        /** The thread running the check while {@link #state} is RUNNING; guarded by {@code this}. */
        Thread thread;
        /** The check has returned (or will never run): the slot is free. */
        volatile boolean finished;

        Execution(long startedAt, String requestId) {
            this.startedAt = startedAt;
            this.requestId = requestId;
        }

        void start() {
            answer.completeOnTimeout(outcomes.timedOut(), timeoutNanos, TimeUnit.NANOSECONDS)
                    .whenComplete((result, failure) -> {
                        if (result == outcomes.timedOut() && !finished) {
                            timedOut();
                        }
                    });
            try {
                Thread.ofVirtual().name(threadName).start(this::run);
            } catch (RuntimeException | Error e) {
                // no thread could be started: report it, and free the slot for the next heartbeat
                if (state.compareAndSet(QUEUED, DONE)) {
                    CheckResult failed = outcomes.failed(e, 0);
                    finished = true;
                    answer.complete(failed);
                }
            }
        }

        /** At the deadline (on the JDK's timer thread): interrupt the run, log E011 off this thread. */
        private void timedOut() {
            stop(null);
            long now = nanoTime.getAsLong();
            outcomes.noteTimedOut(now);
            try {
                Thread.ofVirtual().name(threadName + "-timeout").start(() -> {
                    RequestId.Scope scope = bind(requestId);
                    try {
                        outcomes.logTimedOut();
                    } finally {
                        scope.close();
                    }
                });
            } catch (RuntimeException | Error e) {
                outcomes.logTimedOut();
            }
        }

        /** Answers {@code result} unless answered already, and interrupts the run (or cancels it when queued). */
        void stop(CheckResult result) {
            if (result != null) {
                answer.complete(result);
            }
            synchronized (this) {
                if (state.compareAndSet(QUEUED, DONE)) {
                    finished = true;
                } else if (thread != null) {
                    thread.interrupt();
                }
            }
        }

        void run() {
            synchronized (this) {
                if (!state.compareAndSet(QUEUED, RUNNING)) {
                    return;
                }
                thread = Thread.currentThread();
            }
            CheckResult result = null;
            RequestId.Scope scope = bind(requestId);
            try {
                result = runCheck();
            } finally {
                scope.close();
                synchronized (this) {
                    state.set(DONE);
                    thread = null;
                }
                // an interrupt sent for this run's timeout must not outlive it
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
            long now = nanoTime.getAsLong();
            if (result == null) {
                outcomes.logLateReturn(now - startedAt);
            } else if (cacheNanos > 0) {
                cached = new Cached(CompletableFuture.completedFuture(result.asCached()), now);
            }
            finished = true;
            if (result != null) {
                answer.complete(result);
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
