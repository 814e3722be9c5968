package dev.dockerflow.benchmarks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * Turns the figures {@code benchmarks/run.sh} collected into the results section of
 * {@code docs/benchmarks.md} (between the {@code results:start} and {@code results:end}
 * markers; the rest of the page is kept) and a bar chart (PNG).
 * Arguments: the results folder, the page, the chart.
 */
public final class Report {

    private static final String START = "<!-- results:start -->";
    private static final String END = "<!-- results:end -->";

    /** key to runs; each run is its key=value words. */
    private final Map<String, List<Map<String, String>>> results = new LinkedHashMap<>();
    private final Properties environment = new Properties();
    private final StringBuilder md = new StringBuilder();
    private final Path folder;

    private Report(Path folder) throws IOException {
        this.folder = folder;
        for (String line : Files.readAllLines(folder.resolve("results.tsv"), StandardCharsets.UTF_8)) {
            String[] columns = line.split("\t", -1);
            if (columns.length < 3) {
                continue;
            }
            Map<String, String> values = new HashMap<>();
            for (String word : columns[2].trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    values.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            results.computeIfAbsent(columns[0], k -> new ArrayList<>()).add(values);
        }
        try (Reader in = Files.newBufferedReader(folder.resolve("environment.properties"), StandardCharsets.UTF_8)) {
            environment.load(in);
        }
    }

    /**
     * Writes the page and the chart.
     *
     * @param args results folder, page, chart
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Report report = new Report(Path.of(args[0]));
        Path page = Path.of(args[1]);
        Path chart = Path.of(args[2]);
        report.write();
        String section = START + "\n" + report.md + END;
        String text = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        int from = text.indexOf(START);
        int to = text.indexOf(END);
        if (from >= 0 && to > from) {
            text = text.substring(0, from) + section + text.substring(to + END.length());
        } else {
            text = text + (text.isEmpty() ? "# HTTP benchmarks\n\n" : "\n") + section + "\n";
        }
        Files.createDirectories(page.toAbsolutePath().getParent());
        Files.writeString(page, text, StandardCharsets.UTF_8);
        report.chart(chart);
        System.out.println("wrote " + page + " and " + chart);
    }

    /** Median of a value over a key's runs; NaN when absent. */
    private double median(String key, String value) {
        List<Map<String, String>> runs = results.get(key);
        if (runs == null) {
            return Double.NaN;
        }
        double[] xs = runs.stream().filter(r -> r.containsKey(value))
                .mapToDouble(r -> Double.parseDouble(r.get(value))).sorted().toArray();
        if (xs.length == 0) {
            return Double.NaN;
        }
        return xs.length % 2 == 1 ? xs[xs.length / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
    }

    private double rps(String key) {
        return median(key, "rps");
    }

    private String sum(String key, String value) {
        List<Map<String, String>> runs = results.getOrDefault(key, List.of());
        long total = 0;
        for (Map<String, String> run : runs) {
            total += Long.parseLong(run.getOrDefault(value, "0"));
        }
        return Long.toString(total);
    }

    private static String f0(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%,.0f", x);
    }

    private static String f1(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.1f", x);
    }

    private static String f2(double x) {
        return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.2f", x);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    private String env(String name) {
        return environment.getProperty(name, "?");
    }

    private void write() {
        md.append("\n## Latest run\n\n")
                .append("- Date: ").append(env("date")).append('\n')
                .append("- Machine: ").append(env("cores")).append(" cores (").append(env("cpu")).append("), ")
                .append(env("memory_gb")).append(" GB, Linux ").append(env("kernel")).append('\n')
                .append("- JDK: ").append(env("jdk")).append("; flags under load: `").append(env("jvm_flags"))
                .append("` for every server; start-up and memory with the JVM's defaults\n")
                .append("- Versions: Helidon ").append(env("helidon")).append(", Jersey ").append(env("jersey"))
                .append(" on Grizzly ").append(env("grizzly")).append(", Spring Boot ").append(env("spring_boot"))
                .append(" on Tomcat ").append(env("tomcat")).append(", wrk ").append(env("wrk")).append('\n')
                .append("- CPU pinning: ").append(env("pinning")).append('\n')
                .append("- Load: wrk -t").append(env("threads")).append(" -c").append(env("connections"))
                .append(", each fresh server first warmed ").append(env("warmup"))
                .append(" s on each of its main paths, then on each measured path ")
                .append(env("warmup")).append(" s of warm-up and ").append(env("runs"))
                .append(" runs of ").append(env("duration")).append(" s; figures are medians of the runs\n")
                .append("- Load average before / after: ").append(env("load_before")).append(" / ")
                .append(env("load_after")).append('\n')
                .append("- Command: `").append(env("command")).append("` (").append(env("elapsed_s"))
                .append(" s, build included)\n\n");

        md.append("### Throughput\n\n")
                .append("| server | request | requests/s | ratio to the server's bare route | p99 ms |\n")
                .append("| --- | --- | ---: | ---: | ---: |\n");
        for (String server : List.of("helidon", "jersey", "spring")) {
            double bare = rps(server + ".bare");
            for (String[] row : rows(server)) {
                String key = row[0];
                if (!results.containsKey(key)) {
                    continue;
                }
                md.append("| ").append(title(server)).append(" | ").append(row[1]).append(" | ")
                        .append(f0(rps(key))).append(" | ").append(f2(rps(key) / bare)).append(" | ")
                        .append(f1(median(key, "p99_ms"))).append(" |\n");
            }
        }

        md.append("\n### Against the targets\n\n| # | target | measured | verdict |\n| --- | --- | --- | --- |\n");
        for (String server : List.of("helidon", "jersey")) {
            double r = rps(server + ".lbheartbeat") / rps(server + ".bare");
            double q = rps(server + ".lbheartbeat.nosummary") / rps(server + ".bare");
            double floor = rps(server + ".filter.lbheartbeat") / rps(server + ".bare");
            md.append("| 1 | ").append(title(server)).append(": `/__lbheartbeat__` >= 0.95 x bare route | ")
                    .append(f2(r)).append(" (summaries discarded: ").append(f2(q))
                    .append(Double.isNaN(floor) ? "" : "; the same bytes from a filter without Dockerflow: " + f2(floor))
                    .append(")")
                    .append(r >= 0.95 ? "" : "; " + f1((0.95 - r) * 100) + " points short").append(" | ")
                    .append(verdict(r >= 0.95)).append(" |\n");
        }
        double hb = rps("helidon.heartbeat");
        double hbNoDelay = rps("helidon.heartbeat.nodelay");
        String ours = f0(hb) + " (TCP_NODELAY: " + f0(hbNoDelay) + "; summaries discarded: "
                + f0(rps("helidon.heartbeat.nosummary")) + ")";
        // like with like first: the observer with details answers a JSON body naming every check, as ours does
        for (String[] peer : new String[][] {
            {"helidon.observe.details.nodelay", "Helidon health observer with details (a JSON body naming every check, "
                    + "as ours), both with TCP_NODELAY", "nodelay"},
            {"helidon.observe.details", "Helidon health observer with details, default socket options", ""},
            {"helidon.observe", "Helidon health observer, defaults (204, no body: not the same answer)", ""},
            {"helidon.observe.nodelay", "Helidon health observer, defaults (204, no body), both with TCP_NODELAY",
                    "nodelay"},
            {"spring.actuator", "Spring Boot Actuator", ""}}) {
            double p = rps(peer[0]);
            double mine = peer[2].isEmpty() ? hb : hbNoDelay;
            md.append("| 2 | Helidon `/__heartbeat__` ahead of ").append(peer[1]).append(" | ")
                    .append(ours).append(" vs ").append(f0(p)).append(" req/s: ").append(f2(mine / p)).append(" x | ")
                    .append(verdict(mine > p)).append(" |\n");
        }
        double jerseyHb = rps("jersey.heartbeat");
        md.append("| 2 | Jersey `/__heartbeat__` ahead of Spring Boot Actuator | ").append(f0(jerseyHb))
                .append(" vs ").append(f0(rps("spring.actuator"))).append(" req/s: ")
                .append(f2(jerseyHb / rps("spring.actuator"))).append(" x | ")
                .append(verdict(jerseyHb > rps("spring.actuator"))).append(" |\n");
        for (String server : List.of("helidon", "jersey")) {
            double r = rps(server + ".heartbeat") / rps(server + ".bare");
            md.append("| 2 | ").append(title(server)).append(": `/__heartbeat__` >= 0.5 x bare route | ")
                    .append(f2(r)).append(" | ").append(verdict(r >= 0.5)).append(" |\n");
        }
        for (String server : List.of("helidon", "jersey")) {
            double on = rps(server + ".app.summary");
            double off = rps(server + ".app.nosummary");
            double lost = 1 - on / off;
            md.append("| 3 | ").append(title(server)).append(": summaries cost <= 5% on an application route | ")
                    .append(f0(on)).append(" on vs ").append(f0(off)).append(" off: ")
                    .append(f1(lost * 100)).append("% lost")
                    .append(lost <= 0.05 ? "" : "; " + f1((lost - 0.05) * 100) + " points over").append(" | ")
                    .append(verdict(lost <= 0.05)).append(" |\n");
        }
        // what a user pays for a line per request either way, each against the same server's /app with no logging
        for (String server : List.of("helidon", "jersey", "spring")) {
            String none = "spring".equals(server) ? "spring.app" : server + ".app.bare";
            String log = "spring".equals(server) ? "spring.app.accesslog" : server + ".app.accesslog";
            if (!results.containsKey(none) || !results.containsKey(log) || !results.containsKey(server + ".app.summary")) {
                continue;
            }
            double withSummaries = 1 - rps(server + ".app.summary") / rps(none);
            double accessLog = 1 - rps(log) / rps(none);
            String name = switch (server) {
                case "helidon" -> "Helidon's `AccessLogFeature`";
                case "jersey" -> "Grizzly's access log";
                default -> "Tomcat's access log valve";
            };
            md.append("| 3 | ").append(title(server)).append(": Dockerflow with summaries costs no more on `/app` than ")
                    .append(name).append(" (each against no logging) | ").append(f1(withSummaries * 100)).append("% vs ")
                    .append(f1(accessLog * 100)).append("% | ").append(verdict(withSummaries <= accessLog)).append(" |\n");
        }
        for (String server : List.of("helidon", "jersey")) {
            String key = server + ".slow";
            double mean = median(key, "mean_ms");
            double max = median(key, "max_ms");
            md.append("| 4 | ").append(title(server)).append(": 5 checks of 200 ms answer in <= 240 ms | mean ")
                    .append(f1(mean)).append(" ms, p50 ").append(f1(median(key, "p50_ms"))).append(" ms, max ")
                    .append(f1(max)).append(" ms (").append(sum(key, "requests")).append(" requests; slowest answer ")
                    .append(f2(max / 200)).append(" x the slowest check) | ").append(verdict(max <= 240))
                    .append(" |\n");
        }
        for (String server : List.of("helidon", "jersey")) {
            String key = server + ".storm";
            double executions = median(key, "executions");
            double seconds = median(key, "seconds");
            double maxInFlight = median(key, "maxInFlight");
            long failed = Long.parseLong(sum(key, "socket_errors")) + Long.parseLong(sum(key, "non2xx"));
            md.append("| 5 | ").append(title(server))
                    .append(": storm of 64 connections, one 50 ms check, at most 1 execution in flight | ")
                    .append(sum(key, "requests")).append(" requests, ").append(failed).append(" failed; ")
                    .append(f0(executions)).append(" executions (").append(f1(executions / seconds))
                    .append(" per s), at most ").append(f0(maxInFlight)).append(" in flight | ")
                    .append(verdict(maxInFlight <= 1 && failed == 0)).append(" |\n");
        }

        lbheartbeatSteps();
        requestLogs();
        summaryLine();

        md.append("\n### Start-up and memory\n\n")
                .append("Start-up: from launching `java` to the first 2xx answer (median of the starts). Peak RSS: ")
                .append("`VmHWM` from `/proc/<pid>/status` after ").append(env("duration"))
                .append(" s of load on the probed path. Default JVM flags.\n\n")
                .append("| process | probed path | start-up ms | peak RSS MB |\n| --- | --- | ---: | ---: |\n");
        for (String[] row : new String[][] {
            {"example.helidon-notes", "examples/helidon-notes (`java -jar`)", "/__lbheartbeat__"},
            {"example.jaxrs-notes", "examples/jaxrs-notes (`java -jar`)", "/__lbheartbeat__"},
            {"helidon.dockerflow", "Helidon + Dockerflow, 10 checks", "/__lbheartbeat__"},
            {"helidon.bare", "Helidon, bare route", "/bare"},
            {"helidon.observe", "Helidon health observer, 10 checks", "/observe/health"},
            {"jersey.dockerflow", "Jersey + Dockerflow, 10 checks", "/__lbheartbeat__"},
            {"jersey.bare", "Jersey, bare resource", "/bare"},
            {"spring.actuator", "Spring Boot Actuator, 10 indicators", "/actuator/health"}}) {
            String key = row[0] + ".memory";
            md.append("| ").append(row[1]).append(" | `").append(row[2]).append("` | ")
                    .append(f0(median(key, "startup_ms"))).append(" | ")
                    .append(f0(median(key, "vmhwm_kb") / 1024)).append(" |\n");
        }
        springStarter();
        md.append("\n![Throughput, median requests per second](benchmarks.png)\n\n");
    }

    /**
     * The Spring Boot starter beside Actuator in the same application (benchmarks/spring-peer):
     * its heartbeat against Actuator's health, what its summaries and Tomcat's access log cost
     * on the application route, and the start-up of each.
     */
    private void springStarter() {
        md.append("\n### Spring Boot: the Dockerflow starter beside Actuator\n\n")
                .append("One Spring Boot application (`benchmarks/spring-peer`), its variant chosen at start-up: ")
                .append("the starter off (`dockerflow.enabled=false`), the starter with summaries on stdout, ")
                .append("the starter with summaries discarded (a `RequestSummarySink` bean), and Tomcat's access ")
                .append("log valve on stdout with its default pattern (`server.tomcat.accesslog.*`, the starter off). ")
                .append("The starter's 10 checks are trivial `dev.dockerflow.Check` beans, Actuator's 10 indicators ")
                .append("trivial `HealthIndicator` beans.\n\n")
                .append("| request | requests/s | compared with | ratio | p99 ms |\n| --- | ---: | --- | ---: | ---: |\n");
        for (String[] row : new String[][] {
            {"spring.heartbeat", "starter `/__heartbeat__`, 10 checks, summaries to stdout", "spring.bare", "`/bare`"},
            {"spring.heartbeat.nosummary", "starter `/__heartbeat__`, 10 checks, summaries discarded", "spring.bare",
                "`/bare`"},
            {"spring.actuator", "Actuator `/actuator/health`, 10 indicators", "spring.bare", "`/bare`"},
            {"spring.heartbeat", "starter `/__heartbeat__`, summaries to stdout", "spring.actuator",
                "`/actuator/health`"},
            {"spring.app.summary", "`/app`, starter summaries to stdout", "spring.app.nosummary",
                "`/app`, summaries discarded"},
            {"spring.app.nosummary", "`/app`, starter, summaries discarded", "spring.app", "`/app`, starter off"},
            {"spring.app.accesslog", "`/app`, Tomcat access log to stdout", "spring.app",
                "`/app`, starter off, no log"}}) {
            md.append("| ").append(row[1]).append(" | ").append(f0(rps(row[0]))).append(" | ").append(row[3])
                    .append(" (").append(f0(rps(row[2]))).append(") | ").append(f2(rps(row[0]) / rps(row[2])))
                    .append(" | ").append(f1(median(row[0], "p99_ms"))).append(" |\n");
        }
        double summary = 1 - rps("spring.app.summary") / rps("spring.app.nosummary");
        double accessLog = 1 - rps("spring.app.accesslog") / rps("spring.app");
        md.append("\nRequests per second lost on `/app`: ").append(f1(summary * 100))
                .append("% to the starter's summaries on stdout, ").append(f1(accessLog * 100))
                .append("% to Tomcat's access log on stdout (a negative figure is a gain, within the run's noise).\n\n")
                .append("| process | probed path | start-up ms | peak RSS MB |\n| --- | --- | ---: | ---: |\n");
        for (String[] row : new String[][] {
            {"spring.actuator", "spring-peer, Actuator only (10 indicators, starter off)", "/actuator/health"},
            {"spring.dockerflow", "spring-peer, Actuator and the starter (10 checks, summaries discarded)",
                "/__lbheartbeat__"},
            {"example.spring-boot-notes", "examples/spring-boot-notes (`java -jar`)", "/__lbheartbeat__"}}) {
            String key = row[0] + ".memory";
            md.append("| ").append(row[1]).append(" | `").append(row[2]).append("` | ")
                    .append(f0(median(key, "startup_ms"))).append(" | ")
                    .append(f0(median(key, "vmhwm_kb") / 1024)).append(" |\n");
        }
    }

    /** Server CPU per request, user and kernel, in microseconds; NaN when the run did not record it. */
    private double cpu(String key, String which) {
        return median(key, "cpu_" + which + "_us");
    }

    /** Server CPU per request, user and kernel together, in microseconds. */
    private double cpuTotal(String key) {
        return cpu(key, "user") + cpu(key, "sys");
    }

    /**
     * Helidon's {@code /__lbheartbeat__} taken apart: the bare route, the same route through a
     * filter, the contract's answer from that filter without Dockerflow, then Dockerflow with
     * summaries discarded and written, each with the server CPU it takes per request.
     */
    private void lbheartbeatSteps() {
        String[][] steps = {
            {"helidon.bare", "bare route `/bare` (no Dockerflow)"},
            {"helidon.filter.bare", "the same route through a filter that lets it through"},
            {"helidon.filter.lbheartbeat", "`/__lbheartbeat__`'s bytes (`Cache-Control: no-store`, a new `X-Request-ID`) "
                    + "answered by that filter, no Dockerflow"},
            {"helidon.lbheartbeat.nosummary", "Dockerflow's `/__lbheartbeat__`, summaries discarded"},
            {"helidon.lbheartbeat", "Dockerflow's `/__lbheartbeat__`, summaries to stdout"}};
        if (!results.containsKey("helidon.filter.lbheartbeat")) {
            return;
        }
        double bare = rps("helidon.bare");
        md.append("\n### Helidon `/__lbheartbeat__` step by step\n\n")
                .append("Each step adds one thing to the one above. Server CPU per request: the server process's user ")
                .append("and kernel time over each measured run (all its threads: JIT compiler and garbage collector ")
                .append("included) divided by the requests of that run, median of the runs.\n\n")
                .append("| step | requests/s | ratio to the bare route | server CPU per request, user µs | kernel µs | ")
                .append("total µs |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String[] step : steps) {
            md.append("| ").append(step[1]).append(" | ").append(f0(rps(step[0]))).append(" | ")
                    .append(f2(rps(step[0]) / bare)).append(" | ").append(f2(cpu(step[0], "user"))).append(" | ")
                    .append(f2(cpu(step[0], "sys"))).append(" | ").append(f2(cpuTotal(step[0]))).append(" |\n");
        }
        double bareUs = cpuTotal("helidon.bare");
        double floorUs = cpuTotal("helidon.filter.lbheartbeat");
        double quietUs = cpuTotal("helidon.lbheartbeat.nosummary");
        double onUs = cpuTotal("helidon.lbheartbeat");
        md.append("\nThe kernel's share of the bare route: ")
                .append(f0(100 * cpu("helidon.bare", "sys") / bareUs)).append("%. At 0.95 x the bare route a request ")
                .append("may take ").append(f2(bareUs / 0.95 - bareUs)).append(" µs more than the bare route's ")
                .append(f2(bareUs)).append(" µs. Against the bare route, the contract's answer from a filter alone adds ")
                .append(f2(floorUs - bareUs)).append(" µs, Dockerflow with summaries discarded ")
                .append(f2(quietUs - bareUs)).append(" µs, and with its summary line on stdout ")
                .append(f2(onUs - bareUs)).append(" µs (each within the run's noise: read them to a few tenths).\n");
    }

    /** What a line per request costs on {@code /app}, Dockerflow's and the frameworks' own access logs. */
    private void requestLogs() {
        md.append("\n### Request logs on an application route\n\n")
                .append("Cost of one log line per request on `/app`, against the same server's `/app` with no ")
                .append("logging at all (the `bare` variant, measured in the same run). Every log goes to the ")
                .append("server's stdout, redirected to a file.\n\n")
                .append("| server | log | requests/s | cost against no logging | p99 ms |\n")
                .append("| --- | --- | ---: | ---: | ---: |\n");
        for (String server : List.of("helidon", "jersey")) {
            double none = rps(server + ".app.bare");
            String framework = "jersey".equals(server)
                    ? "Grizzly's access log (`AccessLogProbe`: common format, queued to its writer thread)"
                    : "Helidon's `AccessLogFeature` (default format, through a JUL handler on stdout flushed per line)";
            for (String[] row : new String[][] {
                {server + ".app.bare", "none"},
                {server + ".app.summary", "Dockerflow summaries (mozlog JSON), default stdout sink"},
                {server + ".app.nosummary", "Dockerflow, summaries made and discarded"},
                {server + ".app.accesslog", framework}}) {
                if (!results.containsKey(row[0])) {
                    continue;
                }
                double r = rps(row[0]);
                md.append("| ").append(title(server)).append(" | ").append(row[1]).append(" | ").append(f0(r))
                        .append(" | ").append(f1((1 - r / none) * 100)).append("% | ")
                        .append(f1(median(row[0], "p99_ms"))).append(" |\n");
            }
        }
    }

    /** The JMH figures of a summary line alone, when the run made them. */
    private void summaryLine() {
        Path file = folder.resolve("jmh-summary-line.json");
        if (!Files.exists(file)) {
            return;
        }
        JsonNode runs;
        try {
            runs = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            md.append("\n(The JMH results could not be read: ").append(e.getMessage()).append(")\n");
            return;
        }
        md.append("\n### A summary line alone (JMH)\n\n")
                .append("`SummaryLineBenchmark`, one thread, pinned like the servers: 1 fork, 2 x 1 s warm-up, ")
                .append("3 x 1 s measured, `-prof gc`. Time and allocation per operation.\n\n")
                .append("| benchmark | what it does | ns/op | B/op |\n| --- | --- | ---: | ---: |\n");
        Map<String, String> what = Map.of(
                "startAndComplete", "start and complete a request, its summary made and handed to a sink that discards it",
                "startCompleteAndWrite", "the same with the stream sink: line formatted into the sink's buffer and "
                        + "written (to a stream that discards the bytes)",
                "format", "a summary's line as a new string",
                "formatToReusedBuffer", "a summary's line appended to a reused buffer");
        for (JsonNode run : runs) {
            String name = run.path("benchmark").asText();
            String method = name.substring(name.lastIndexOf('.') + 1);
            double ns = run.path("primaryMetric").path("score").asDouble(Double.NaN);
            JsonNode secondary = run.path("secondaryMetrics");
            // JMH names it with or without a leading middle dot, depending on its version
            JsonNode norm = secondary.has("gc.alloc.rate.norm") ? secondary.path("gc.alloc.rate.norm")
                    : secondary.path("\u00b7gc.alloc.rate.norm");
            double bytes = norm.path("score").asDouble(Double.NaN);
            md.append("| `").append(method).append("` | ").append(what.getOrDefault(method, "")).append(" | ")
                    .append(f0(ns)).append(" | ").append(f0(bytes)).append(" |\n");
        }
    }

    private static String title(String server) {
        return switch (server) {
            case "helidon" -> "Helidon";
            case "jersey" -> "Jersey";
            default -> "Spring Boot";
        };
    }

    private static List<String[]> rows(String server) {
        return List.of(
                new String[] {server + ".bare", "bare route `/bare` (no Dockerflow)"},
                new String[] {server + ".lbheartbeat", "`/__lbheartbeat__`, summaries to stdout"},
                new String[] {server + ".lbheartbeat.nosummary", "`/__lbheartbeat__`, summaries discarded"},
                new String[] {server + ".filter.lbheartbeat",
                    "`/__lbheartbeat__` answered by a filter of the benchmark's own: the same bytes, no Dockerflow"},
                new String[] {server + ".filter.bare", "bare route `/bare` through that filter (no Dockerflow)"},
                new String[] {server + ".heartbeat", "`/__heartbeat__`, 10 checks"},
                new String[] {server + ".heartbeat.nosummary", "`/__heartbeat__`, 10 checks, summaries discarded"},
                new String[] {server + ".heartbeat.nodelay", "`/__heartbeat__`, 10 checks, TCP_NODELAY"},
                new String[] {server + ".observe.details", "health observer, 10 checks, details (JSON body)"},
                new String[] {server + ".observe.details.nodelay",
                    "health observer, 10 checks, details (JSON body), TCP_NODELAY"},
                new String[] {server + ".observe", "health observer, 10 checks, defaults (204, no body)"},
                new String[] {server + ".observe.nodelay",
                    "health observer, 10 checks, defaults (204, no body), TCP_NODELAY"},
                new String[] {server + ".actuator", "`/actuator/health`, 10 indicators"},
                new String[] {server + ".app.summary", "application route `/app`, summaries to stdout"},
                new String[] {server + ".app.nosummary", "application route `/app`, summaries discarded"},
                new String[] {server + ".app.bare", "application route `/app`, no logging (bare server)"},
                new String[] {server + ".app", "application route `/app`, no Dockerflow, no logging"},
                new String[] {server + ".app.accesslog", "application route `/app`, " + switch (server) {
                    case "jersey" -> "Grizzly's";
                    case "spring" -> "Tomcat's";
                    default -> "Helidon's";
                } + " access log to stdout"});
    }

    /** A horizontal bar chart of every throughput figure. */
    private void chart(Path file) {
        List<String[]> bars = new ArrayList<>();
        for (String server : List.of("helidon", "jersey", "spring")) {
            for (String[] row : rows(server)) {
                if (results.containsKey(row[0]) && !Double.isNaN(rps(row[0]))) {
                    bars.add(new String[] {row[0], title(server) + ": " + row[1].replace("`", "")});
                }
            }
        }
        double max = bars.stream().mapToDouble(b -> rps(b[0])).max().orElse(1);
        int labelWidth = 470;
        int barWidth = 520;
        int rowHeight = 26;
        int top = 50;
        int width = labelWidth + barWidth + 110;
        int height = top + bars.size() * rowHeight + 40;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString("Requests per second, median of " + env("runs") + " runs (" + env("date") + ", "
                    + env("cores") + " cores, " + env("pinning").replace(" (taskset)", "") + ")", 10, 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int y = top;
            for (String[] bar : bars) {
                double value = rps(bar[0]);
                int length = (int) Math.round(barWidth * value / max);
                g.setColor(colour(bar[0]));
                g.fillRect(labelWidth, y + 4, Math.max(length, 1), rowHeight - 8);
                g.setColor(Color.BLACK);
                g.drawString(bar[1], 10, y + rowHeight - 9);
                g.drawString(f0(value), labelWidth + length + 6, y + rowHeight - 9);
                y += rowHeight;
            }
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.GRAY);
            g.drawLine(labelWidth, top, labelWidth, y);
            g.drawString("blue: Dockerflow   grey: bare route (baseline)   orange: peers' health endpoints",
                    10, y + 25);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Color colour(String key) {
        if (key.contains(".filter.")) {
            return new Color(190, 190, 190);
        }
        if (key.endsWith(".bare")) {
            return new Color(150, 150, 150);
        }
        if (key.contains("observe") || key.contains("actuator")) {
            return new Color(230, 140, 40);
        }
        return new Color(50, 110, 200);
    }
}
