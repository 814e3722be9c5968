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
public interface RequestSummarySink {

    /**
     * Writes one summary.
     *
     * @param summary the finished request's summary
     * @param mozlog the service's mozlog format, to turn the summary into a line
     */
    void write(RequestSummary summary, Mozlog mozlog);

    /**
     * Writes each summary as one line to standard output ({@code System.out} as it is
     * at the time of writing). Two summaries never interleave, however many threads write.
     *
     * @return the sink
     */
    static RequestSummarySink stdout() {
        return StreamSummarySink.STDOUT;
    }

    /**
     * Writes each summary as one UTF-8 line ({@code \n}-terminated) to a stream, whole
     * lines only, flushed after each.
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
