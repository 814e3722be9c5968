package dev.dockerflow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the check runs one heartbeat found no run in flight for, and keeps their deadlines.
 *
 * <ul>
 *   <li>One virtual thread runs them one after another. After {@value #HAND_OFF_MILLIS} ms,
 *       runs still queued behind a slow check get virtual threads of their own, so the
 *       heartbeat takes about as long as its slowest check, not the sum.</li>
 *   <li>One JDK timeout ({@link CompletableFuture#completeOnTimeout}) at a time watches the
 *       nearest due time (the hand-off, then each run's deadline); when it passes, runs past
 *       their deadline are answered E011 and interrupted, and the next one is armed. Once
 *       every run has answered, the pending timeout is cancelled.</li>
 * </ul>
 *
 * <p>Why this much by hand, rather than a virtual thread and a {@code completeOnTimeout} per
 * check: with ten trivial checks, that simpler form cost 7 to 10 microseconds of CPU per
 * heartbeat against 2.4 to 2.9 here (32 callers on one core, same run; the stand-alone figure
 * behind the {@code /__heartbeat__} benchmark row, where a whole request costs about 17):
 * ten virtual thread starts, and twenty insertions into and removals from the JDK timer's
 * queue, each of which may wake the timer thread, per heartbeat. Here a heartbeat of quick
 * checks costs one thread start, one timeout armed and one cancelled; the waiting itself is
 * the JDK's.
 *
 * <p>Thread-safe: runs are added on the heartbeat's thread before {@link #start()}.
 */
final class CheckRunner {

    static final long HAND_OFF_MILLIS = 1;
    private static final long HAND_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(HAND_OFF_MILLIS);

    private final List<CheckSlot.Execution> runs = new ArrayList<>(4);
    private final AtomicInteger unanswered = new AtomicInteger();
    /** The application's class loader, for runs handed threads of their own by the timer thread. */
    private final ClassLoader contextClassLoader = Thread.currentThread().getContextClassLoader();
    private long startedAt;
    /** Written by the timer's actions only, which run one after another. */
    private boolean handedOff;
    /** The pending timeout; completing it with {@code false} cancels it. */
    private volatile CompletableFuture<Boolean> alarm;

    /** Adds a run this runner starts; before {@link #start()}. */
    void add(CheckSlot.Execution run) {
        runs.add(run);
        unanswered.incrementAndGet();
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** Starts the runs added: one thread for all, and the timeout of the nearest due time. */
    void start() {
        startedAt = System.nanoTime();
        arm(startedAt + Math.min(HAND_OFF_NANOS, smallestTimeout()));
        try {
            Thread.ofVirtual().name(runs.getFirst().threadName()).start(() -> {
                for (CheckSlot.Execution run : runs) {
                    run.run();
                }
            });
        } catch (RuntimeException | Error e) {
            // no thread could be started: report it, and free the slots for the next heartbeat
            for (CheckSlot.Execution run : runs) {
                run.failToStart(e);
            }
        }
    }

    /** Called once by each run when it is answered (result, timeout or close). */
    void answered() {
        if (unanswered.decrementAndGet() == 0) {
            CompletableFuture<Boolean> pending = alarm;
            if (pending != null) {
                pending.complete(Boolean.FALSE);
            }
        }
    }

    private long smallestTimeout() {
        long smallest = Long.MAX_VALUE;
        for (CheckSlot.Execution run : runs) {
            smallest = Math.min(smallest, run.timeoutNanos());
        }
        return smallest;
    }

    private void arm(long due) {
        if (unanswered.get() == 0) {
            return;
        }
        CompletableFuture<Boolean> next = new CompletableFuture<>();
        alarm = next;
        next.completeOnTimeout(Boolean.TRUE, due - System.nanoTime(), TimeUnit.NANOSECONDS)
                .thenAccept(fired -> {
                    if (fired) {
                        ring();
                    }
                });
        if (unanswered.get() == 0) {
            // every run answered while this was armed: cancel it now
            next.complete(Boolean.FALSE);
        }
    }

    /** On the JDK's timer thread: hands off queued runs, times out overdue ones, arms the next due time. */
    private void ring() {
        long now = System.nanoTime();
        if (!handedOff && now - (startedAt + HAND_OFF_NANOS) >= 0) {
            handedOff = true;
            for (CheckSlot.Execution run : runs) {
                if (run.isQueued()) {
                    handOff(run);
                }
            }
        }
        boolean waiting = false;
        long next = 0;
        for (CheckSlot.Execution run : runs) {
            if (run.isAnswered()) {
                continue;
            }
            long deadline = startedAt + run.timeoutNanos();
            if (now - deadline >= 0) {
                run.timeOut();
            } else if (!waiting || deadline - next < 0) {
                waiting = true;
                next = deadline;
            }
        }
        if (!handedOff) {
            long handOff = startedAt + HAND_OFF_NANOS;
            if (!waiting || handOff - next < 0) {
                waiting = true;
                next = handOff;
            }
        }
        if (waiting) {
            arm(next);
        }
    }

    private void handOff(CheckSlot.Execution run) {
        try {
            Thread thread = Thread.ofVirtual().name(run.threadName()).unstarted(run::run);
            thread.setContextClassLoader(contextClassLoader);
            thread.start();
        } catch (RuntimeException | Error e) {
            // it stays queued behind the slow check, and is answered E011 at its deadline if still queued
        }
    }
}
