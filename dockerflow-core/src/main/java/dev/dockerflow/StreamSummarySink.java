package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes whole summary lines to a stream, so lines never interleave, with as few
 * system calls as the load allows. Each caller formats its summary's line (so a failure
 * to format is the caller's to report) and queues it; whoever holds the write lock writes
 * every queued line as one block, then flushes.
 *
 * <ul>
 *   <li><b>Caller writes</b> ({@link RequestSummarySink#toStream}): each caller queues its
 *       summary and tries to take the lock; a caller that finds another at work returns
 *       at once, and that writer takes its line too (it looks at the queue again after
 *       letting go of the lock).</li>
 *   <li><b>Background writes</b> ({@link RequestSummarySink#stdout}): callers only queue; one
 *       daemon thread writes, woken by the first summary after a quiet spell, and then
 *       lets {@value #LINGER_MICROS} µs of summaries gather between writes. At JVM
 *       shutdown a hook writes what is left, and from then on callers write themselves.</li>
 * </ul>
 *
 * <p>When the stream stalls (a full pipe) and {@value #MAX_PENDING} summaries are waiting,
 * callers wait for the lock and write instead of queueing more, so memory stays bounded
 * and no line is dropped.
 */
final class StreamSummarySink implements RequestSummarySink {

    static final StreamSummarySink STDOUT = new StreamSummarySink(() -> System.out, "stdout", true);

    /** Summaries that may wait before callers write themselves. */
    static final int MAX_PENDING = 8192;

    /** How long the background writer lets summaries gather between two writes. */
    static final long LINGER_MICROS = 1000;

    /** How long the shutdown hook waits for the last lines to be written. */
    static final long EXIT_WAIT_MILLIS = 2000;

    /** At most about this many bytes go into one write. */
    private static final int BLOCK_BYTES = 64 * 1024;

    private final Supplier<OutputStream> out;
    private final String name;
    private final boolean background;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    /** Used only by the thread holding {@link #lock}. */
    private byte[] block = new byte[8192];

    private final WarnThenDebugLogger failures =
            new WarnThenDebugLogger(System.getLogger(RequestSummarySink.class.getName()), System.Logger.Level.WARNING);
    private volatile Thread writer;
    private volatile boolean writerIdle;
    private volatile boolean closing;

    StreamSummarySink(Supplier<OutputStream> out, String name, boolean background) {
        this.out = out;
        this.name = name;
        this.background = background;
    }

    @Override
    public void write(RequestSummary summary, Mozlog mozlog) {
        String line = mozlog.format(summary);
        boolean full = pendingCount.incrementAndGet() > MAX_PENDING;
        pending.add(line);
        if (background && !full && !closing) {
            Thread w = writer;
            if (w == null) {
                startWriter();
                w = writer;
                if (w != null) {
                    // the writer may have gone idle before this line was queued
                    LockSupport.unpark(w);
                }
            } else if (writerIdle) {
                LockSupport.unpark(w);
            }
            return;
        }
        if (full) {
            lock.lock();
        } else if (!lock.tryLock()) {
            // the writer looks at the queue again after it lets go of the lock, so it takes this line
            return;
        }
        drainThenLookAgain();
    }

    private synchronized void startWriter() {
        if (writer != null || closing) {
            return;
        }
        Thread hook = Thread.ofPlatform().name("dockerflow-summary-flush").inheritInheritableThreadLocals(false)
                .unstarted(this::close);
        hook.setContextClassLoader(null);
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: callers write themselves
            closing = true;
            flush();
            return;
        }
        writer = daemon("dockerflow-summary-writer", this::writeInBackground);
    }

    private void writeInBackground() {
        while (!closing) {
            try {
                writeOnce();
            } catch (Throwable e) {
                // whatever went wrong, this thread must live on: it is the only background writer
                try {
                    failures.log("Cannot write request summaries to " + name + "; will try again with the next ones", e);
                } catch (Throwable ignored) {
                    // nowhere left to report it
                }
                LockSupport.parkNanos(this, LINGER_MICROS * 1000);
            }
        }
    }

    private void writeOnce() {
        if (pending.isEmpty()) {
            writerIdle = true;
            // a caller that queued before seeing writerIdle is seen here; one after it unparks
            if (pending.isEmpty() && !closing) {
                LockSupport.park(this);
            }
            writerIdle = false;
            return;
        }
        flush();
        LockSupport.parkNanos(this, LINGER_MICROS * 1000);
    }

    /**
     * From the shutdown hook: stops background writing and writes everything queued. Waits
     * at most {@value #EXIT_WAIT_MILLIS} ms for that, so a stalled stream cannot hold the
     * JVM's exit.
     */
    private void close() {
        closing = true;
        // the last write may block on a stalled stream: do it on a daemon thread, and wait for
        // it only so long
        Thread last = daemon("dockerflow-summary-last-write", this::flush);
        try {
            last.join(EXIT_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes every line queued so far, on the calling thread, before it returns. */
    void flush() {
        lock.lock();
        drainThenLookAgain();
    }

    /** Drains the queue (the caller holds the lock), then again while lines remain and the lock is free. */
    private void drainThenLookAgain() {
        drainHoldingLock();
        // a caller that found the lock held meanwhile left its line to this thread
        while (!pending.isEmpty() && lock.tryLock()) {
            drainHoldingLock();
        }
    }

    /** A platform daemon thread that carries nothing of the thread that starts it. */
    private static Thread daemon(String name, Runnable task) {
        Thread t = Thread.ofPlatform().name(name).daemon().inheritInheritableThreadLocals(false).unstarted(task);
        t.setContextClassLoader(null);
        t.start();
        return t;
    }

    /** Writes everything queued, in blocks, then releases the lock (which the caller holds). */
    private void drainHoldingLock() {
        try {
            OutputStream stream = out.get();
            String line;
            int size = 0;
            while ((line = pending.poll()) != null) {
                pendingCount.decrementAndGet();
                int length = line.length() + 1;
                if (size > 0 && size + length > BLOCK_BYTES) {
                    stream.write(block, 0, size);
                    size = 0;
                }
                if (size + length > block.length) {
                    block = Arrays.copyOf(block, Math.max(block.length * 2, size + length));
                }
                // mozlog lines are pure ASCII
                for (int i = 0; i < length - 1; i++) {
                    block[size + i] = (byte) line.charAt(i);
                }
                block[size + length - 1] = '\n';
                size += length;
            }
            if (size > 0) {
                stream.write(block, 0, size);
                stream.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RequestSummarySink[" + name + "]";
    }
}
