package dev.dockerflow.benchmarks;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.RequestView;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a request summary costs the thread that served the request: building the summary
 * of a finished request, and turning a summary into its mozlog line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SummaryLineBenchmark {

    private Dockerflow dockerflow;
    private Request request;
    private RequestSummary summary;
    private Mozlog mozlog;
    private final StringBuilder reused = new StringBuilder(512);
    private Dockerflow toStream;

    /** Creates the benchmark (JMH calls it). */
    public SummaryLineBenchmark() {
    }

    /** A typical browser request and its summary. */
    @Setup
    public void setUp() {
        List<RequestSummary> summaries = new ArrayList<>();
        dockerflow = Dockerflow.builder().summarySink((s, m) -> summaries.add(s)).build();
        request = new Request("GET", "/api/v1/orders/8812", Map.of(
                "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "accept-language", "en-US,en;q=0.5",
                "x-request-id", "6f1c2a4e-3b1d-4c8e-9f0a-7d5e2b9c1a34"));
        try (ActiveRequest active = dockerflow.startRequest(request)) {
            active.complete(200, null);
        }
        summary = summaries.getFirst();
        mozlog = Mozlog.create("Dockerflow", "web-1", 4242);
        dockerflow = Dockerflow.builder().summarySink((s, m) -> { }).build();
        toStream = Dockerflow.builder().summarySink(RequestSummarySink.toStream(OutputStream.nullOutputStream())).build();
    }

    /** Closes the Dockerflows. */
    @TearDown
    public void tearDown() {
        dockerflow.close();
        toStream.close();
    }

    /**
     * Starts and completes a request, building its summary, with a sink that discards it.
     *
     * @return the request ID
     */
    @Benchmark
    public String startAndComplete() {
        try (ActiveRequest active = dockerflow.startRequest(request)) {
            active.complete(200, null);
            return active.requestId();
        }
    }

    /**
     * Starts and completes a request with the stream sink, which formats its line into the
     * sink's buffer and writes it (here to a stream that discards the bytes): the whole cost
     * of a summary line on the request's thread, the write included.
     *
     * @return the request ID
     */
    @Benchmark
    public String startCompleteAndWrite() {
        try (ActiveRequest active = toStream.startRequest(request)) {
            active.complete(200, null);
            return active.requestId();
        }
    }

    /**
     * The summary's line as a new string.
     *
     * @return the line
     */
    @Benchmark
    public String format() {
        return mozlog.format(summary);
    }

    /**
     * The summary's line appended to a buffer the caller reuses.
     *
     * @return the buffer's length
     */
    @Benchmark
    public int formatToReusedBuffer() {
        reused.setLength(0);
        mozlog.formatTo(reused, summary);
        return reused.length();
    }

    private record Request(String method, String rawPath, Map<String, String> headers) implements RequestView {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public Optional<String> rawQuery() {
            return Optional.empty();
        }
    }
}
