package dev.dockerflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves a {@code version.json} file without letting the file hurt the service.
 *
 * <ul>
 *   <li>Only a regular file of at most {@link #MAX_BYTES} is read. A symbolic link is
 *       followed and judged by what it points to, so a link to a regular file works and
 *       a link to {@code /dev/zero} is refused, like a FIFO, a device or a folder, from
 *       its attributes alone: it is never opened.</li>
 *   <li>The file is looked at on a helper thread of this provider, never on the caller's:
 *       a file system that does not answer (a stale network mount, or a FIFO put in the
 *       file's place between the look at its attributes and its opening) costs the caller
 *       at most {@link #DEFAULT_DEADLINE} from the start of the call that hangs. The
 *       deadline bounds file-system calls only; the rest of a look (the helper starting,
 *       parsing at most 1 MiB) always ends, and a busy machine must not turn a good file
 *       into a failure. At most one look is under way at a time: callers that come while
 *       one is under way share its answer, and while a file-system call outlives the
 *       deadline every caller fails at once, so a storm of requests never blocks more
 *       than that one helper thread.</li>
 *   <li>The parsed file, or why its content cannot be used, is kept until the file's size,
 *       modification time or file key (device and inode) changes, so repeated requests
 *       cost one look at the attributes and no read (a failure to read is not kept: it may
 *       pass without the file changing). Writing a new file and moving it
 *       over the old one is always noticed; rewriting a file in place with the same size
 *       within the file system's timestamp resolution is not.</li>
 *   <li>Failure messages name the file, the kind of failure and, for JSON that does not
 *       parse, where; never what the file holds.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
final class FileVersionProvider implements VersionProvider {

    /** The largest {@code version.json} read, in bytes: 1 MiB. */
    static final int MAX_BYTES = 1 << 20;

    /** How long a caller waits for one file-system call (attributes, or open and read) to answer. */
    static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);

    private static final long HELPER_KEEP_ALIVE_SECONDS = 30;

    /** How the provider reaches the file system; replaced in tests to count or block. */
    interface FileAccess {

        /** The default: the file's attributes, following symbolic links, and a plain stream. */
        FileAccess SYSTEM = new FileAccess() {
            @Override
            public BasicFileAttributes attributes(Path file) throws IOException {
                return Files.readAttributes(file, BasicFileAttributes.class);
            }

            @Override
            public InputStream open(Path file) throws IOException {
                return Files.newInputStream(file);
            }
        };

        /**
         * The file's attributes, following symbolic links.
         *
         * @throws NoSuchFileException when there is no file (or a link to nothing)
         */
        BasicFileAttributes attributes(Path file) throws IOException;

        /**
         * Opens the file for reading.
         *
         * @throws NoSuchFileException when the file has gone
         */
        InputStream open(Path file) throws IOException;
    }

    /** What one look at the file found. */
    private sealed interface Outcome {
    }

    private record Found(VersionInfo version) implements Outcome {
    }

    private record Missing() implements Outcome {
    }

    private record Failed(String message, IOException cause) implements Outcome {
    }

    /** What identifies one version of the file; a different stamp means a different file. */
    private record Stamp(long size, FileTime modified, Object fileKey) {
        static Stamp of(BasicFileAttributes attributes) {
            return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        }
    }

    /** An outcome and the stamp of the file it came from. */
    private record Remembered(Stamp stamp, Outcome outcome) {
    }

    /** One look at the file, shared by the callers that come while it is under way. */
    private static final class Look {
        static final long NOT_IN_FILE_SYSTEM = Long.MIN_VALUE;

        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        /**
         * When the file-system call under way began ({@link System#nanoTime()}), or
         * {@link #NOT_IN_FILE_SYSTEM}: the deadline bounds file-system calls only, as the
         * rest (waiting for the helper to run, parsing at most 1 MiB) always ends.
         */
        volatile long fileSystemCallSince = NOT_IN_FILE_SYSTEM;
    }

    private final Path file;
    private final long deadlineNanos;
    private final FileAccess access;
    private final ThreadPoolExecutor helper;
    private final ReentrantLock lock = new ReentrantLock();
    /** The latest look, under way or done. Guarded by lock. */
    private Look latest;
    /** What the last read found; used by the helper thread only (volatile as the thread may be replaced). */
    private volatile Remembered remembered;

    FileVersionProvider(Path file, Duration deadline, FileAccess access) {
        this.file = Objects.requireNonNull(file, "file");
        this.access = Objects.requireNonNull(access, "access");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
        this.deadlineNanos = deadline.toNanos();
        // One helper thread at most, started on first use and ended after a while idle; the
        // single look under way means the queue never holds more than one task.
        this.helper = new ThreadPoolExecutor(0, 1, HELPER_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    // carries nothing of the request thread that happens to start it (its class loader above all)
                    Thread t = Thread.ofPlatform()
                            .name("dockerflow-version-file")
                            .daemon(true)
                            .inheritInheritableThreadLocals(false)
                            .unstarted(runnable);
                    t.setContextClassLoader(null);
                    return t;
                });
    }

    /**
     * Stops the helper thread, waiting for it as long as a file-system call may take (one
     * stuck in a file system that never answers cannot be stopped); a call to
     * {@link #version()} afterwards fails with a {@link VersionException}.
     */
    @Override
    public void close() {
        helper.shutdownNow();
        try {
            helper.awaitTermination(deadlineNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<VersionInfo> version() {
        Look look;
        boolean start = false;
        lock.lock();
        try {
            look = latest;
            if (look == null || look.outcome.isDone()) {
                look = new Look();
                latest = look;
                start = true;
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            Look mine = look;
            try {
                helper.execute(() -> {
                    try {
                        mine.outcome.complete(lookAtFile(mine));
                    } catch (RuntimeException e) {
                        mine.outcome.completeExceptionally(e);
                    } catch (Error e) {
                        mine.outcome.completeExceptionally(e);
                        throw e;
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                mine.outcome.complete(null);
                throw new VersionException(file + ": the version provider is closed");
            }
        }
        return answer(await(look));
    }

    private Outcome await(Look look) {
        while (true) {
            long since = look.fileSystemCallSince;
            long wait = deadlineNanos;
            if (since != Look.NOT_IN_FILE_SYSTEM) {
                long stuck = System.nanoTime() - since;
                if (stuck >= deadlineNanos && !look.outcome.isDone()) {
                    throw new VersionException(file + ": the file system has not answered for "
                            + TimeUnit.NANOSECONDS.toMillis(stuck) + " ms, more than the "
                            + TimeUnit.NANOSECONDS.toMillis(deadlineNanos)
                            + " ms allowed (a FIFO, or an unreachable mount?)");
                }
                wait = deadlineNanos - stuck;
            }
            try {
                return look.outcome.get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // look again at what the helper is doing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VersionException(file + ": interrupted while waiting for the file");
            } catch (ExecutionException e) {
                // lookAtFile catches what it expects. Anything else is a bug, named by its class only:
                // its message might quote what the file holds.
                throw new VersionException(file + ": reading the file failed unexpectedly ("
                        + e.getCause().getClass().getName() + ")");
            }
        }
    }

    private Optional<VersionInfo> answer(Outcome outcome) {
        return switch (outcome) {
            case Found found -> Optional.of(found.version());
            case Missing missing -> Optional.empty();
            // A fresh exception per caller: a shared one would carry one thread's stack to all.
            case Failed failed -> throw new VersionException(failed.message(), failed.cause());
        };
    }

    /** Runs on the helper thread only. */
    private Outcome lookAtFile(Look look) {
        BasicFileAttributes attributes;
        look.fileSystemCallSince = System.nanoTime();
        try {
            attributes = access.attributes(file);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (IOException e) {
            return new Failed(file + ": cannot read its attributes (" + describe(e) + ")", e);
        } finally {
            look.fileSystemCallSince = Look.NOT_IN_FILE_SYSTEM;
        }
        if (!attributes.isRegularFile()) {
            return new Failed(file + ": not a regular file (" + kind(attributes) + "), not read", null);
        }
        if (attributes.size() > MAX_BYTES) {
            return new Failed(file + ": " + attributes.size() + " bytes, larger than the "
                    + MAX_BYTES + " bytes allowed, not read", null);
        }
        Stamp stamp = Stamp.of(attributes);
        Remembered known = remembered;
        if (known != null && known.stamp().equals(stamp)) {
            return known.outcome();
        }
        Outcome outcome = readAndParse(look);
        // What the bytes were is kept; a failure to read them is not, as it may pass without the
        // size or time changing (permissions fixed with chmod, a disk error that clears).
        boolean readFailed = outcome instanceof Failed failed && failed.cause() != null;
        if (!(outcome instanceof Missing) && !readFailed) {
            remembered = new Remembered(stamp, outcome);
        }
        return outcome;
    }

    private Outcome readAndParse(Look look) {
        byte[] bytes;
        look.fileSystemCallSince = System.nanoTime();
        try (InputStream in = access.open(file)) {
            // The attributes gave the size, but a file can grow, and some (in /proc) report 0.
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (IOException e) {
            return new Failed(file + ": cannot be read (" + describe(e) + ")", e);
        } finally {
            look.fileSystemCallSince = Look.NOT_IN_FILE_SYSTEM;
        }
        if (bytes.length > MAX_BYTES) {
            return new Failed(file + ": more than the " + MAX_BYTES + " bytes allowed, read no further", null);
        }
        try {
            return new Found(VersionInfo.parse(bytes));
        } catch (VersionException e) {
            // VersionInfo.parse names kind and position only, and keeps no cause that quotes the content.
            return new Failed(file + ": " + e.getMessage(), null);
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isOther()) {
            return "a FIFO, device or socket";
        }
        return "of another kind";
    }

    /** The exception's kind and the system's reason; file-system messages hold paths and reasons, not content. */
    private static String describe(IOException e) {
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        return e.getClass().getSimpleName() + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }

    @Override
    public String toString() {
        return "VersionProvider.fromFile(" + file + ")";
    }
}
