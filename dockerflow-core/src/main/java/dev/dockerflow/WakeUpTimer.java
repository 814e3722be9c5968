package dev.dockerflow;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Unparks threads at the times they ask for, so that a heartbeat caller can park without
 * a timeout. A virtual thread's timed park costs a timer hand-off of its own, which under
 * load costs more than the checks it waits for; here one daemon thread, shared by every
 * heartbeat in the JVM, sleeps until the earliest wake-up asked for and is only signalled
 * when a new one comes earlier than that (rarely, as new wake-ups come later than old ones).
 * The thread starts with the first wake-up asked for and parks while there is none.
 */
final class WakeUpTimer {

    static final WakeUpTimer SHARED = new WakeUpTimer();

    /** One wake-up asked for; cancelled when its thread no longer needs it. */
    static final class WakeUp implements Comparable<WakeUp> {
        private static final AtomicLong SEQUENCE = new AtomicLong();

        final long atNanos;
        final Thread thread;
        private final long sequence = SEQUENCE.incrementAndGet();
        private volatile boolean cancelled;

        private WakeUp(long atNanos, Thread thread) {
            this.atNanos = atNanos;
            this.thread = thread;
        }

        /** The thread no longer needs waking. */
        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(WakeUp o) {
            int byTime = Long.compare(atNanos - o.atNanos, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<WakeUp> queue = new PriorityQueue<>();
    /** The wake-up the timer thread sleeps until; null while it waits for any. Guarded by lock. */
    private WakeUp sleepingUntil;
    private boolean started;

    private WakeUpTimer() {
    }

    /**
     * Asks for the current thread to be unparked at {@code atNanos} ({@link System#nanoTime()}
     * time). The caller still re-checks its own condition and time after each park.
     *
     * @param atNanos when
     * @return the wake-up, to cancel once it is not needed
     */
    WakeUp wakeAt(long atNanos) {
        WakeUp w = new WakeUp(atNanos, Thread.currentThread());
        lock.lock();
        try {
            if (!started) {
                Thread timer = Thread.ofPlatform().name("dockerflow-heartbeat-timer").daemon()
                        .inheritInheritableThreadLocals(false).unstarted(this::run);
                timer.setContextClassLoader(null);
                timer.start();
                started = true;
            }
            queue.add(w);
            if (sleepingUntil == null || w.compareTo(sleepingUntil) < 0) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return w;
    }

    private void run() {
        lock.lock();
        try {
            while (true) {
                WakeUp next = queue.peek();
                if (next == null) {
                    sleepingUntil = null;
                    changed.awaitUninterruptibly();
                    continue;
                }
                if (next.cancelled) {
                    queue.poll();
                    continue;
                }
                long wait = next.atNanos - System.nanoTime();
                if (wait <= 0) {
                    queue.poll();
                    try {
                        LockSupport.unpark(next.thread);
                    } catch (Throwable e) {
                        // this thread must live on, or waiting callers would never wake; the
                        // caller re-checks its time after any wake-up, so one lost unpark only
                        // delays it to its next wake-up
                    }
                    continue;
                }
                sleepingUntil = next;
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // nothing interrupts this thread on purpose; keep serving wake-ups
                    Thread.interrupted();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
