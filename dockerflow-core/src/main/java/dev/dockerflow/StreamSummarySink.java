package dev.dockerflow;

import dev.dockerflow.internal.WarnThenDebugLogger;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes whole summary lines to a stream, so lines never interleave, with as few
 * system calls and allocations as the load allows. Each caller formats its summary's line
 * straight into a buffer the sink owns, under a lock held only while formatting (so a
 * failure to format is the caller's to report, and nothing is left of that line); whoever
 * holds the write lock swaps that buffer for an empty one and writes everything it held, in
 * pieces of at most about {@value #BLOCK_BYTES} bytes of whole lines, then flushes. Lines of
 * one thread keep their order; a line costs no allocation.
 *
 * <ul>
 *   <li><b>Caller writes</b> ({@link RequestSummarySink#toStream}): each caller queues its
 *       line and tries to take the write lock; a caller that finds another at work returns
 *       at once, and that writer takes its line too (it looks at the buffer again after
 *       letting go of the lock).</li>
 *   <li><b>Background writes</b> ({@link RequestSummarySink#stdout}): callers only queue; one
 *       daemon thread writes, woken by the first summary after a quiet spell, and then
 *       lets {@value #LINGER_MICROS} µs of summaries gather between writes. At JVM
 *       shutdown a hook writes what is left; {@link #close()} does the same, stops the
 *       thread and removes the hook. From then on callers write themselves.</li>
 * </ul>
 *
 * <p>When the stream stalls (a full pipe) and {@value #MAX_PENDING} summaries are waiting,
 * callers wait for the write lock and write instead of queueing more, so memory stays
 * bounded and no line is dropped. When a write fails, the lines it held are kept (up to
 * {@value #MAX_RETAINED_BYTES} bytes) and written first once the stream works again; lines
 * beyond that bound are dropped, counted and logged.
 */
final class StreamSummarySink implements RequestSummarySink {

    /** Summaries that may wait before callers write themselves. */
    static final int MAX_PENDING = 8192;

    /** How long the background writer lets summaries gather between two writes. */
    static final long LINGER_MICROS = 4000;

    /** How long closing (or the shutdown hook) waits for the last lines to be written. */
    static final long EXIT_WAIT_MILLIS = 2000;

    /** Bytes of lines whose write failed that are kept for the next write. */
    static final int MAX_RETAINED_BYTES = 1 << 20;

    /** Characters each buffer starts with: some milliseconds of lines under load, so they seldom grow. */
    private static final int BUFFER_CHARS = 64 * 1024;

    /** A buffer that grew beyond this many characters (a burst while the stream stalled) is let go once written. */
    private static final int KEPT_BUFFER_CHARS = 4 << 20;

    /** At most about this many bytes go into one write. */
    private static final int BLOCK_BYTES = 64 * 1024;

    /** Characters turned into bytes at a time. */
    private static final int CHUNK_CHARS = 8 * 1024;

    private final Supplier<OutputStream> out;
    private final String name;
    private final boolean background;
    /** Held while a line is formatted into {@link #queued}, and while the writer swaps it out. */
    private final ReentrantLock queueLock = new ReentrantLock();
    /** Lines formatted and not yet taken by a writer, each ending in {@code \n}; guarded by {@link #queueLock}. */
    private StringBuilder queued = new StringBuilder(BUFFER_CHARS);
    /**
     * How many lines {@link #queued} holds; written under {@link #queueLock}, read without it
     * (volatile), so the writer looks at the queue without taking the lock the callers take.
     */
    private volatile int queuedLines;
    /**
     * Lines taken out of {@link #queued} by the holder of {@link #lock} and not yet written,
     * so that a stalled write still counts towards {@link #MAX_PENDING}; written by that holder only.
     */
    private volatile int unwritten;
    /** The empty buffer that the next swap puts in place of {@link #queued}; guarded by {@link #lock}. */
    private StringBuilder spare = new StringBuilder(BUFFER_CHARS);
    /** Held while writing; the order in which holders swap {@link #queued} out is the order of the stream. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong lost = new AtomicLong();
    /** Blocks written so far: how closing tells a slow stream from a stalled one. */
    private final AtomicLong writes = new AtomicLong();
    /** Used only by the thread holding {@link #lock}. */
    private final char[] chars = new char[CHUNK_CHARS];
    /** Used only by the thread holding {@link #lock}. */
    private byte[] block = new byte[BUFFER_CHARS];
    /** Lines whose write failed, written before anything else; guarded by {@link #lock}. */
    private byte[] retained = new byte[0];
    private int retainedSize;

    private final WarnThenDebugLogger failures =
            new WarnThenDebugLogger(System.getLogger(RequestSummarySink.class.getName()), System.Logger.Level.WARNING);
    private Thread writer;
    private Thread hook;
    private volatile Thread activeWriter;
    private volatile boolean writerIdle;
    private volatile boolean closing;

    StreamSummarySink(Supplier<OutputStream> out, String name, boolean background) {
        this.out = out;
        this.name = name;
        this.background = background;
    }

    @Override
    public void write(RequestSummary summary, Mozlog mozlog) {
        boolean full;
        queueLock.lock();
        try {
            StringBuilder out = queued;
            int start = out.length();
            try {
                mozlog.formatTo(out, summary);
            } catch (RuntimeException | Error e) {
                // nothing of a line that could not be made stays behind
                out.setLength(start);
                throw e;
            }
            out.append('\n');
            full = ++queuedLines + unwritten > MAX_PENDING;
        } finally {
            queueLock.unlock();
        }
        if (background && !full && !closing) {
            Thread w = activeWriter;
            if (w == null) {
                w = startWriter();
                if (w != null) {
                    // the writer may have gone idle before this line was queued
                    LockSupport.unpark(w);
                    return;
                }
            } else {
                if (writerIdle) {
                    LockSupport.unpark(w);
                }
                return;
            }
        }
        if (full) {
            lock.lock();
        } else if (!lock.tryLock()) {
            // the writer looks at the queue again after it lets go of the lock, so it takes this line
            return;
        }
        drainThenLookAgain();
    }

    /**
     * Whether lines wait to be written. Reads the count without the queue lock: a writer
     * thread that the system deschedules while holding that lock would hold up every caller.
     */
    private boolean hasQueued() {
        return queuedLines > 0;
    }

    /** Starts the background writer and the shutdown hook; null when closing (callers write themselves). */
    private synchronized Thread startWriter() {
        if (closing) {
            return null;
        }
        if (writer != null) {
            return writer;
        }
        Thread h = Thread.ofPlatform().name("dockerflow-summary-flush").inheritInheritableThreadLocals(false)
                .unstarted(this::writeLastLines);
        h.setContextClassLoader(null);
        try {
            Runtime.getRuntime().addShutdownHook(h);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: callers write themselves
            closing = true;
            return null;
        }
        hook = h;
        writer = daemon("dockerflow-summary-writer", this::writeInBackground);
        activeWriter = writer;
        return writer;
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
        if (!hasQueued()) {
            writerIdle = true;
            // a caller that queued before seeing writerIdle is seen here; one after it unparks
            if (!hasQueued() && !closing) {
                LockSupport.park(this);
            }
            writerIdle = false;
            return;
        }
        flush();
        LockSupport.parkNanos(this, LINGER_MICROS * 1000);
    }

    /**
     * Writes what is queued, stops the background writer and removes the shutdown hook.
     * Waits while the stream takes lines, but gives up after {@value #EXIT_WAIT_MILLIS} ms
     * without progress, so a stalled stream cannot hold the caller. Later summaries are written on their callers' threads.
     */
    @Override
    public void close() {
        Thread w;
        Thread h;
        synchronized (this) {
            closing = true;
            w = writer;
            h = hook;
            writer = null;
            hook = null;
        }
        activeWriter = null;
        if (w != null) {
            LockSupport.unpark(w);
            join(w);
        }
        if (h != null && Thread.currentThread() != h) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and runs the hook itself
            }
        }
        writeLastLines();
    }

    /** From the shutdown hook or {@link #close()}: writes everything queued, waiting a bounded time. */
    private void writeLastLines() {
        closing = true;
        // lines a writer took are out of the queue but not yet out of the process until it lets go of
        // the lock: look at the queue first, then at the lock
        if (!hasQueued() && !lock.isLocked() && retainedSize == 0) {
            return;
        }
        // the last write may block on a stalled stream: do it on a daemon thread, and wait for it only so long
        join(daemon("dockerflow-summary-last-write", this::flushQuietly));
    }

    /** Waits for a writing thread while the stream takes lines; gives up after {@value #EXIT_WAIT_MILLIS} ms without progress. */
    private void join(Thread t) {
        try {
            long seen;
            do {
                seen = writes.get();
                t.join(EXIT_WAIT_MILLIS);
            } while (t.isAlive() && writes.get() != seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            failures.log("Cannot write the last request summaries to " + name, e);
        }
    }

    /** Writes every line queued so far, on the calling thread, before it returns. */
    void flush() {
        lock.lock();
        drainThenLookAgain();
    }

    /** Summaries dropped because writes kept failing beyond the retained bound. */
    long lostLines() {
        return lost.get();
    }

    /** Drains the queue (the caller holds the lock), then again while lines remain and the lock is free. */
    private void drainThenLookAgain() {
        drainHoldingLock();
        // a caller that found the lock held meanwhile left its line to this thread
        while (hasQueued() && lock.tryLock()) {
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

    /**
     * Writes what failed before, then everything queued, in pieces of at most about
     * {@value #BLOCK_BYTES} bytes of whole lines; then releases the lock (which the caller holds).
     */
    private void drainHoldingLock() {
        int size = 0;
        int from = 0;
        try {
            StringBuilder lines = takeQueued();
            size = lines.length();
            if (block.length < size) {
                block = new byte[Math.max(block.length * 2, size)];
            }
            for (int at = 0; at < size; at += CHUNK_CHARS) {
                int n = Math.min(CHUNK_CHARS, size - at);
                lines.getChars(at, at + n, chars, 0);
                // mozlog lines are pure ASCII
                for (int i = 0; i < n; i++) {
                    block[at + i] = (byte) chars[i];
                }
            }
            // the buffer just taken, emptied, is the one the next swap puts in place
            spare = lines.capacity() > KEPT_BUFFER_CHARS ? new StringBuilder(BUFFER_CHARS) : lines;
            lines.setLength(0);
            OutputStream stream = out.get();
            if (retainedSize > 0) {
                stream.write(retained, 0, retainedSize);
                retainedSize = 0;
            }
            // in pieces of whole lines: the lines of the piece the stream holds up stay counted as pending
            while (from < size) {
                int end = pieceEnd(from, size);
                stream.write(block, from, end - from);
                writes.incrementAndGet();
                // the usual case, everything in one piece, needs no count
                unwritten = end == size ? 0 : unwritten - lineEnds(from, end);
                from = end;
            }
            stream.flush();
        } catch (IOException | RuntimeException e) {
            retain(from, size);
            from = size;
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        } finally {
            // kept or dropped, no line of this block is pending any more
            unwritten = 0;
            if (block.length > KEPT_BUFFER_CHARS) {
                block = new byte[BUFFER_CHARS];
            }
            lock.unlock();
        }
    }

    /** Swaps the queue buffer for the empty spare one and returns what it held (the caller holds {@link #lock}). */
    private StringBuilder takeQueued() {
        StringBuilder empty = spare;
        queueLock.lock();
        try {
            StringBuilder lines = queued;
            queued = empty;
            unwritten = queuedLines;
            queuedLines = 0;
            return lines;
        } finally {
            queueLock.unlock();
        }
    }

    /** Keeps the block's bytes from {@code from} to {@code size} for the next write, up to the bound; counts what does not fit. */
    private void retain(int from, int size) {
        if (size <= from) {
            return;
        }
        int room = MAX_RETAINED_BYTES - retainedSize;
        int kept = 0;
        if (room > 0) {
            // keep whole lines only
            int end = from + Math.min(size - from, room);
            while (end > from && block[end - 1] != '\n') {
                end--;
            }
            kept = end - from;
        }
        if (kept > 0) {
            if (retained.length < retainedSize + kept) {
                retained = Arrays.copyOf(retained, Math.max(retained.length * 2, retainedSize + kept));
            }
            System.arraycopy(block, from, retained, retainedSize, kept);
            retainedSize += kept;
        }
        long dropped = lineEnds(from + kept, size);
        if (dropped > 0) {
            long total = lost.addAndGet(dropped);
            failures.log(dropped + " request summaries dropped (" + total + " in all): writes to " + name
                    + " keep failing and " + MAX_RETAINED_BYTES + " bytes are already kept for when it works again", null);
        }
    }

    /** How many lines end in the block between {@code from} and {@code to}. */
    private int lineEnds(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (block[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Where a write that starts at {@code from} ends: after the last line end within a block's bytes, or after the first. */
    private int pieceEnd(int from, int size) {
        int limit = from + BLOCK_BYTES;
        if (limit >= size) {
            return size;
        }
        for (int i = limit; i > from; i--) {
            if (block[i - 1] == '\n') {
                return i;
            }
        }
        // one line longer than a block: it goes out whole
        for (int i = limit; i < size; i++) {
            if (block[i] == '\n') {
                return i + 1;
            }
        }
        return size;
    }

    @Override
    public String toString() {
        return "RequestSummarySink[" + name + "]";
    }
}
