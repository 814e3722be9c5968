package dev.dockerflow;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Writes whole summary lines to a stream under one lock, so lines never interleave. */
final class StreamSummarySink implements RequestSummarySink {

    static final StreamSummarySink STDOUT = new StreamSummarySink(() -> System.out, "stdout");

    private final Supplier<OutputStream> out;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();

    StreamSummarySink(Supplier<OutputStream> out, String name) {
        this.out = out;
        this.name = name;
    }

    @Override
    public void write(RequestSummary summary, Mozlog mozlog) {
        // mozlog lines are pure ASCII; one array per line so each line is one write
        byte[] line = (mozlog.format(summary) + "\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream stream = out.get();
        lock.lock();
        try {
            stream.write(line);
            stream.flush();
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
