package dev.dockerflow.logback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.HeartbeatReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The library logs through {@code System.Logger}. With this module on the class path
 * (and nothing else: no bridge installed in code, no JUL configuration) those lines
 * reach Logback, so the mozlog encoder writes them like any application line.
 */
class LibraryLogLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJdkHandsSystemLoggersToSlf4jWithoutSetup() {
        assertThat(System.LoggerFinder.getLoggerFinder().getClass().getName()).startsWith("org.slf4j.");
    }

    @Test
    void aCheckMessageIsWrittenByTheMozlogEncoder() throws Exception {
        MozlogEncoder encoder = new MozlogEncoder();
        encoder.setLoggerName("notes");
        // the parent of every logger the library uses: dockerflow.checks.registry, dockerflow.config, ...
        try (Capture capture = new Capture("dockerflow", encoder)) {
            Dockerflow dockerflow = Dockerflow.builder()
                    .config(DockerflowConfig.defaults())
                    .check("check_redis_connected", () -> List.of(CheckMessage.error("dockerflow.health.E004",
                            "Could not connect to redis: Connection refused")))
                    .build();
            HeartbeatReport report = dockerflow.heartbeat();
            assertThat(report.passed()).isFalse();

            List<JsonNode> e004 = parse(capture.lines()).stream()
                    .filter(line -> line.path("Fields").path("msg").asText().startsWith("dockerflow.health.E004"))
                    .toList();
            assertThat(e004).singleElement().satisfies(line -> {
                assertThat(line.path("Type").asText()).startsWith("dockerflow.checks");
                assertThat(line.path("Logger").asText()).isEqualTo("notes");
                assertThat(line.path("EnvVersion").asText()).isEqualTo("2.0");
                assertThat(line.path("Severity").asInt()).isEqualTo(3);
                assertThat(line.path("Timestamp").isIntegralNumber()).isTrue();
                assertThat(line.path("Fields").path("msg").asText())
                        .isEqualTo("dockerflow.health.E004: Could not connect to redis: Connection refused");
            });
        }
    }

    @Test
    void aMisspelledVariableWarningIsWrittenByTheMozlogEncoder() throws Exception {
        try (Capture capture = new Capture(DockerflowConfig.LOGGER, new MozlogEncoder())) {
            DockerflowConfig.builder().environment(Map.of("DOCKERFLOW_LOGBACK_CHECK_TIMEOUT", "1")).build();

            assertThat(parse(capture.lines())).singleElement().satisfies(line -> {
                assertThat(line.path("Type").asText()).isEqualTo("dockerflow.config");
                assertThat(line.path("Severity").asInt()).isEqualTo(4);
                assertThat(line.path("Fields").path("msg").asText()).isEqualTo(
                        "Unknown variable DOCKERFLOW_LOGBACK_CHECK_TIMEOUT is ignored; did you mean "
                                + "DOCKERFLOW_CHECK_TIMEOUT_MS?");
            });
        }
    }

    private static List<JsonNode> parse(List<String> lines) throws Exception {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            parsed.add(JSON.readTree(line));
        }
        return parsed;
    }
}
