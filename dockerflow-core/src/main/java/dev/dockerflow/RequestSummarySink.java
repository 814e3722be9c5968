package dev.dockerflow;

import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where request summaries go. The default writes each summary as one mozlog line to
 * standard output. Implementations must be thread-safe; a sink that throws is logged
 * and never breaks the response.
 */
@FunctionalInterface
public interface RequestSummarySink extends AutoCloseable {

    /**
     * Writes one summary.
     *
     * @param summary the finished request's summary
     * @param mozlog the service's mozlog format, to turn the summary into a line
     */
    void write(RequestSummary summary, Mozlog mozlog);

    /**
     * Writes what is still pending and stops any thread the sink started. The
     * {@link Dockerflow} that uses the sink calls it when it is closed; summaries written
     * afterwards are still written, on the caller's thread. Does nothing by default.
     */
    @Override
    default void close() {
    }

    /**
     * Writes each summary as one line to standard output ({@code System.out} as it is
     * at the time of writing). Two summaries never interleave, however many threads write.
     *
     * <p>The line is formatted on the caller's thread and written by a daemon thread,
     * which writes every line queued since its last write as one block, about every 4
     * milliseconds under load: one system call for many requests. A JVM shutdown hook
     * writes whatever is still queued at exit. When standard output stalls and 8192
     * lines are queued, callers wait and write themselves, so memory stays bounded and no
     * line is dropped. Only a JVM killed outright loses the lines of its last moments;
     * {@link #toStream(java.io.OutputStream) toStream(System.out)} writes each line on
     * the caller's thread instead.
     *
     * <p>Each call returns a new sink with its own writer thread, started with its first
     * line and stopped by {@link #close()}.
     *
     * @return the sink
     */
    static RequestSummarySink stdout() {
        return new StreamSummarySink(() -> System.out, "stdout", true);
    }

    /**
     * Writes each summary as one UTF-8 line ({@code \n}-terminated) to a stream, whole
     * lines only, written and flushed on callers' threads: by the caller itself or, when
     * another caller is writing at that moment, by that one, which takes the waiting
     * lines into its next write.
     *
     * @param out the stream; the sink never closes it
     * @return the sink
     */
    static RequestSummarySink toStream(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return new StreamSummarySink(() -> out, out.toString(), false);
    }

    /**
     * Hands each summary's line (without line break) to a consumer, for tests and for
     * routing summaries into another pipeline.
     *
     * @param lines receives each line; must be thread-safe
     * @return the sink
     */
    static RequestSummarySink lines(Consumer<String> lines) {
        Objects.requireNonNull(lines, "lines");
        return (summary, mozlog) -> lines.accept(mozlog.format(summary));
    }
}
