package dev.dockerflow.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestView;
import dev.dockerflow.logback.MozlogEncoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.argument.StructuredArguments;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.event.KeyValuePair;

/**
 * Encodes a typical request-summary event and a typical application event (a message
 * with one argument, three MDC entries, two key-value pairs) with {@link MozlogEncoder}
 * and with logstash-logback-encoder's {@link LogstashEncoder}, in the same run.
 * Run with {@code -prof gc} to see bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LogEncodingBenchmark {

    private LoggerContext context;
    private MozlogEncoder mozlog;
    private LogstashEncoder logstash;
    private LoggingEvent applicationEvent;
    private LoggingEvent mozlogSummaryEvent;
    private LoggingEvent logstashSummaryEvent;

    /** A request as an adapter describes it. */
    private record Request(String method, String rawPath, Optional<String> rawQuery, Map<String, String> headers)
            implements RequestView {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** Builds the encoders and events once per trial. */
    @Setup(org.openjdk.jmh.annotations.Level.Trial)
    public void setUp() {
        context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();

        mozlog = new MozlogEncoder();
        mozlog.setLoggerName("my-app");
        mozlog.setContext(context);
        mozlog.start();

        logstash = new LogstashEncoder();
        logstash.setContext(context);
        logstash.start();

        Logger appLogger = context.getLogger("com.acme.orders.OrderService");
        applicationEvent = new LoggingEvent(Logger.class.getName(), appLogger, Level.INFO,
                "Order {} placed", null, new Object[] {"ord-8812"});
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("rid", "6f1c2a4e-3b1d-4c8e-9f0a-7d5e2b9c1a34");
        mdc.put("tenant", "acme");
        mdc.put("session", "s-41d2");
        applicationEvent.setMDCPropertyMap(mdc);
        applicationEvent.addKeyValuePair(new KeyValuePair("items", 3));
        applicationEvent.addKeyValuePair(new KeyValuePair("total", "129.90"));
        applicationEvent.prepareForDeferredProcessing();

        RequestSummary summary = oneSummary();
        Logger summaryLogger = context.getLogger(RequestSummary.TYPE);
        // what LogbackSummarySink logs
        mozlogSummaryEvent = new LoggingEvent(Logger.class.getName(), summaryLogger, Level.INFO,
                "{}", null, new Object[] {summary});
        mozlogSummaryEvent.setMDCPropertyMap(Map.of());
        // the usual way to give logstash-logback-encoder the same fields
        logstashSummaryEvent = new LoggingEvent(Logger.class.getName(), summaryLogger, Level.INFO,
                "request.summary", null, new Object[] {StructuredArguments.entries(summary.fields())});
        logstashSummaryEvent.setMDCPropertyMap(Map.of());
        logstashSummaryEvent.prepareForDeferredProcessing();
    }

    private static RequestSummary oneSummary() {
        List<RequestSummary> summaries = new ArrayList<>();
        Dockerflow dockerflow = Dockerflow.builder().summarySink((s, m) -> summaries.add(s)).build();
        Request request = new Request("GET", "/api/v1/orders/8812", Optional.empty(), Map.of(
                "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Accept-Language", "en-US,en;q=0.5",
                "X-Request-ID", "6f1c2a4e-3b1d-4c8e-9f0a-7d5e2b9c1a34"));
        try (ActiveRequest active = dockerflow.startRequest(request)) {
            active.complete(200, null);
        }
        return summaries.get(0);
    }

    /** Stops the encoders. */
    @TearDown(org.openjdk.jmh.annotations.Level.Trial)
    public void tearDown() {
        mozlog.stop();
        logstash.stop();
        context.stop();
    }

    /**
     * An application event through {@link MozlogEncoder}.
     *
     * @return the encoded line
     */
    @Benchmark
    public byte[] applicationEventMozlog() {
        return mozlog.encode(applicationEvent);
    }

    /**
     * An application event through {@link LogstashEncoder}.
     *
     * @return the encoded line
     */
    @Benchmark
    public byte[] applicationEventLogstash() {
        return logstash.encode(applicationEvent);
    }

    /**
     * A request-summary event through {@link MozlogEncoder}.
     *
     * @return the encoded line
     */
    @Benchmark
    public byte[] summaryEventMozlog() {
        return mozlog.encode(mozlogSummaryEvent);
    }

    /**
     * A request-summary event through {@link LogstashEncoder}.
     *
     * @return the encoded line
     */
    @Benchmark
    public byte[] summaryEventLogstash() {
        return logstash.encode(logstashSummaryEvent);
    }
}
