package dev.dockerflow.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.RequestView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogbackSummarySinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as an adapter would describe it, with a hostile user agent. */
    private record Request(String method, String rawPath, Optional<String> rawQuery, Map<String, String> headers)
            implements RequestView {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    private static final Request REQUEST = new Request("GET", "/items/%C3%A9", Optional.of("q=1"), Map.of(
            "User-Agent", "curl/8.5 \"evil\"\n{\"x\":1}",
            "Accept-Language", "en",
            "X-Request-ID", "req-77"));

    /** Runs one request through a facade whose sink writes both the stdout-style line and the Logback event. */
    private static List<String> bothLines(boolean raise) {
        ByteArrayOutputStream stdoutStyle = new ByteArrayOutputStream();
        RequestSummarySink stream = RequestSummarySink.toStream(stdoutStyle);
        try (Capture capture = new Capture(RequestSummary.TYPE, new MozlogEncoder())) {
            LogbackSummarySink logback = LogbackSummarySink.create();
            Dockerflow dockerflow = Dockerflow.builder()
                    .summarySink((summary, mozlog) -> {
                        stream.write(summary, mozlog);
                        logback.write(summary, mozlog);
                    })
                    .build();
            try (ActiveRequest request = dockerflow.startRequest(REQUEST)) {
                if (raise) {
                    request.complete(500, new IllegalStateException("it \"broke\"\nbadly"));
                } else {
                    request.complete(200, null);
                }
            }
            List<String> logbackLines = capture.lines();
            assertThat(logbackLines).hasSize(1);
            String streamLine = stdoutStyle.toString(StandardCharsets.US_ASCII);
            assertThat(streamLine).endsWith("\n");
            return List.of(streamLine.substring(0, streamLine.length() - 1), logbackLines.get(0));
        }
    }

    @Test
    void logbackLineEqualsTheStdoutSinkLine() throws Exception {
        List<String> lines = bothLines(false);

        assertThat(lines.get(1)).isEqualTo(lines.get(0));
        JsonNode line = JSON.readTree(lines.get(1));
        assertThat(line.get("Type").asText()).isEqualTo("request.summary");
        assertThat(line.get("Severity").asInt()).isEqualTo(6);
        assertThat(line.get("Fields").get("rid").asText()).isEqualTo("req-77");
        assertThat(line.get("Fields").get("agent").asText()).isEqualTo("curl/8.5 \"evil\"\n{\"x\":1}");
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(200);
    }

    @Test
    void failedRequestLineEqualsTheStdoutSinkLineAtSeverityThree() throws Exception {
        List<String> lines = bothLines(true);

        assertThat(lines.get(1)).isEqualTo(lines.get(0));
        JsonNode line = JSON.readTree(lines.get(1));
        assertThat(line.get("Severity").asInt()).isEqualTo(3);
        assertThat(line.get("Fields").get("errno").asInt()).isEqualTo(500);
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("it \"broke\"\nbadly");
    }

    @Test
    void summariesGoThroughTheRequestSummaryLoggerAndItsLevel() {
        try (Capture capture = new Capture(RequestSummary.TYPE, new MozlogEncoder())) {
            Dockerflow dockerflow = Dockerflow.builder().summarySink(LogbackSummarySink.create()).build();
            capture.logger().setLevel(Level.ERROR);
            try (ActiveRequest request = dockerflow.startRequest(REQUEST)) {
                request.complete(200, null);
            }
            try (ActiveRequest request = dockerflow.startRequest(REQUEST)) {
                request.complete(500, new IllegalStateException("boom"));
            }

            // at ERROR only the failed request's summary passes
            assertThat(capture.lines()).hasSize(1).first().asString().contains("\"errno\":500");
        }
    }
}
