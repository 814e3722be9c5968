package dev.dockerflow.benchmarks.http;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestSummarySink;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a benchmark server serves besides {@code /bare} (200, empty body) and
 * {@code /app} (200, a short JSON body), which every variant serves.
 */
public enum Variant {
    /** No Dockerflow: the server's own baseline. */
    BARE,
    /** Dockerflow with 10 trivial checks; one summary line per request on stdout (the default sink). */
    DOCKERFLOW,
    /** As {@link #DOCKERFLOW}, with a summary sink that discards every summary. */
    DOCKERFLOW_QUIET,
    /** Dockerflow with 5 checks of 200 ms each; summaries discarded. */
    SLOW,
    /** Dockerflow with one check of 50 ms that counts its executions; summaries discarded. */
    STORM,
    /** Helidon only: Helidon's health observer with 10 trivial checks, default settings. */
    OBSERVE_HEALTH,
    /** Helidon only: Helidon's health observer with 10 trivial checks and details on. */
    OBSERVE_HEALTH_DETAILS,
    /**
     * No Dockerflow; the framework's own access log, one line per request on stdout, in its
     * default format: Helidon's {@code AccessLogFeature}, Grizzly's access log under Jersey.
     */
    ACCESSLOG,
    /**
     * Helidon only, no Dockerflow: one filter of the benchmark's own that answers
     * {@code /__lbheartbeat__} with the bytes Dockerflow's answer has ({@code Cache-Control:
     * no-store} and a new {@code X-Request-ID}) and lets every other request through, doing
     * nothing else: what a filter answering the contract costs in Helidon before any of
     * Dockerflow's work.
     */
    FILTER;

    /** Number of trivial checks in the variants that register them. */
    public static final int TRIVIAL_CHECKS = 10;

    private static final AtomicInteger EXECUTIONS = new AtomicInteger();
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger MAX_IN_FLIGHT = new AtomicInteger();

    /** The body of {@code /app}. */
    public static final String APP_BODY = "{\"notes\":[]}";

    /**
     * Parses a variant name as given on the command line ({@code dockerflow-quiet}).
     *
     * @param name the name, any letter case, {@code -} or {@code _}
     * @return the variant
     */
    public static Variant parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** @return whether this variant installs Dockerflow */
    public boolean dockerflow() {
        return this != BARE && this != OBSERVE_HEALTH && this != OBSERVE_HEALTH_DETAILS && this != ACCESSLOG
                && this != FILTER;
    }

    /**
     * Builds this variant's Dockerflow.
     *
     * @return the Dockerflow
     * @throws IllegalStateException if this variant has none
     */
    public Dockerflow buildDockerflow() {
        Dockerflow.Builder builder = Dockerflow.builder();
        switch (this) {
            case DOCKERFLOW, DOCKERFLOW_QUIET -> {
                for (int i = 1; i <= TRIVIAL_CHECKS; i++) {
                    builder.check("check" + i, List::<CheckMessage>of);
                }
            }
            case SLOW -> {
                for (int i = 1; i <= 5; i++) {
                    builder.check("slow" + i, () -> {
                        Thread.sleep(200);
                        return List.of();
                    });
                }
            }
            case STORM -> builder.check("backend", Duration.ofSeconds(3), () -> {
                EXECUTIONS.incrementAndGet();
                int now = IN_FLIGHT.incrementAndGet();
                MAX_IN_FLIGHT.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(50);
                } finally {
                    IN_FLIGHT.decrementAndGet();
                }
                return List.of();
            });
            default -> throw new IllegalStateException(this + " has no Dockerflow");
        }
        if (this != DOCKERFLOW) {
            builder.summarySink((summary, mozlog) -> { });
        } else {
            builder.summarySink(RequestSummarySink.stdout());
        }
        return builder.build();
    }

    /**
     * The storm check's counters, as served on {@code /bench/stats}.
     *
     * @return {@code executions=N maxInFlight=M}
     */
    public static String stats() {
        return "executions=" + EXECUTIONS.get() + " maxInFlight=" + MAX_IN_FLIGHT.get() + "\n";
    }

    /**
     * The port: the second argument, else {@code PORT}, else 8000.
     *
     * @param args the command line
     * @return the port
     */
    static int port(String[] args) {
        String value = args.length > 1 ? args[1] : System.getenv().getOrDefault("PORT", "8000");
        return Integer.parseInt(value.trim());
    }

    /**
     * The variant: the first argument, else {@code BENCH_VARIANT}, else {@code bare}.
     *
     * @param args the command line
     * @return the variant
     */
    static Variant of(String[] args) {
        return parse(args.length > 0 ? args[0] : System.getenv().getOrDefault("BENCH_VARIANT", "bare"));
    }
}
