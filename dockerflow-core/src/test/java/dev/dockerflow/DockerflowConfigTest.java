package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerflowConfigTest {

    private static DockerflowConfig from(Map<String, String> env) {
        return DockerflowConfig.builder().environment(env).build();
    }

    @Test
    void defaultsAreTheContracts() {
        DockerflowConfig c = from(Map.of());
        assertThat(c.appDir()).isEqualTo(Path.of("/app"));
        assertThat(c.silencedChecks()).isEmpty();
        assertThat(c.heartbeatFailedStatusCode()).isEqualTo(500);
        assertThat(c.heartbeatShowDetails()).isTrue();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(3000));
        assertThat(c.summaryLogQuerystring()).isFalse();
        assertThat(c.requestIdHeaderName()).isEqualTo("X-Request-ID");
        assertThat(c.loggerName()).isEqualTo("Dockerflow");
        assertThat(c.errorEndpointEnabled()).isFalse();
        assertThat(c.shutdownDrain()).isEqualTo(Duration.ZERO);
        assertThat(c.checkCache()).isEqualTo(Duration.ZERO);
        assertThat(DockerflowConfig.defaults().toString()).isEqualTo(c.toString());
    }

    @Test
    void everyVariableIsRead() {
        DockerflowConfig c = from(Map.ofEntries(
                Map.entry("APP_DIR", "/srv/app"),
                Map.entry("DOCKERFLOW_SILENCED_CHECKS", "dockerflow.health.W001, ,acme.E1,"),
                Map.entry("DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "503"),
                Map.entry("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "False"),
                Map.entry("DOCKERFLOW_CHECK_TIMEOUT_MS", "750"),
                Map.entry("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "TRUE"),
                Map.entry("DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Amzn-Trace-Id"),
                Map.entry("DOCKERFLOW_LOGGER_NAME", "notes"),
                Map.entry("DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "true"),
                Map.entry("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "5000"),
                Map.entry("DOCKERFLOW_CHECK_CACHE_MS", " 2000 ")));
        assertThat(c.appDir()).isEqualTo(Path.of("/srv/app"));
        assertThat(c.silencedChecks()).containsExactlyInAnyOrder("dockerflow.health.W001", "acme.E1");
        assertThat(c.heartbeatFailedStatusCode()).isEqualTo(503);
        assertThat(c.heartbeatShowDetails()).isFalse();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.summaryLogQuerystring()).isTrue();
        assertThat(c.requestIdHeaderName()).isEqualTo("X-Amzn-Trace-Id");
        assertThat(c.loggerName()).isEqualTo("notes");
        assertThat(c.errorEndpointEnabled()).isTrue();
        assertThat(c.shutdownDrain()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.checkCache()).isEqualTo(Duration.ofSeconds(2));
        assertThat(DockerflowConfig.VARIABLES).hasSize(11);
    }

    @Test
    void drainAndCacheAcceptZeroAndOneHour() {
        DockerflowConfig zero = from(Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "0", "DOCKERFLOW_CHECK_CACHE_MS", "0"));
        assertThat(zero.shutdownDrain()).isZero();
        assertThat(zero.checkCache()).isZero();
        DockerflowConfig hour = from(Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "3600000",
                "DOCKERFLOW_CHECK_CACHE_MS", "3600000"));
        assertThat(hour.shutdownDrain()).isEqualTo(Duration.ofHours(1));
        assertThat(hour.checkCache()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void emptyValuesMeanUnset() {
        DockerflowConfig c = from(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "", "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", " "));
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(3000));
        assertThat(c.heartbeatShowDetails()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE|99",
        "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE|600",
        "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE|5OO",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|0",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|-5",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|3s",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|1.5",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|99999999999999999999",
        "DOCKERFLOW_CHECK_TIMEOUT_MS|3600001",
        "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS|yes",
        "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING|1",
        "DOCKERFLOW_ENABLE_ERROR_ENDPOINT|on",
        "DOCKERFLOW_REQUEST_ID_HEADER_NAME|X Request",
        "DOCKERFLOW_REQUEST_ID_HEADER_NAME|X-Id:",
        "DOCKERFLOW_SHUTDOWN_DRAIN_MS|-1",
        "DOCKERFLOW_SHUTDOWN_DRAIN_MS|5s",
        "DOCKERFLOW_SHUTDOWN_DRAIN_MS|2.5",
        "DOCKERFLOW_SHUTDOWN_DRAIN_MS|3600001",
        "DOCKERFLOW_SHUTDOWN_DRAIN_MS|99999999999999999999",
        "DOCKERFLOW_CHECK_CACHE_MS|-100",
        "DOCKERFLOW_CHECK_CACHE_MS|2000ms",
        "DOCKERFLOW_CHECK_CACHE_MS|0x10",
        "DOCKERFLOW_CHECK_CACHE_MS|3600001",
    })
    void aBadValueStopsConstructionNamingTheVariableAndTheValue(String variable, String value) {
        assertThatThrownBy(() -> from(Map.of(variable, value)))
                .isInstanceOf(DockerflowConfigException.class)
                .hasMessageContaining(variable)
                .hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void aBadDrainOrCacheValueSaysWhatIsExpected() {
        assertThatThrownBy(() -> from(Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "5s")))
                .hasMessage("Invalid Dockerflow configuration: DOCKERFLOW_SHUTDOWN_DRAIN_MS=\"5s\" is not valid: "
                        + "expected a whole number of milliseconds from 0 to 3600000 (one hour)");
        assertThatThrownBy(() -> from(Map.of("DOCKERFLOW_CHECK_CACHE_MS", "-1")))
                .hasMessage("Invalid Dockerflow configuration: DOCKERFLOW_CHECK_CACHE_MS=\"-1\" is not valid: "
                        + "expected a whole number of milliseconds from 0 to 3600000 (one hour)");
    }

    @Test
    void allBadValuesAreReportedTogether() {
        assertThatThrownBy(() -> from(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "soon",
                "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "700")))
                .isInstanceOfSatisfying(DockerflowConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.getMessage()).contains("DOCKERFLOW_CHECK_TIMEOUT_MS=\"soon\"")
                            .contains("DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE=\"700\"");
                });
    }

    @Test
    void aBadValueStopsTheDockerflowBuild() {
        assertThatThrownBy(() -> Dockerflow.builder()
                .config(from(Map.of("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "maybe"))).build())
                .isInstanceOf(DockerflowConfigException.class)
                .hasMessage("Invalid Dockerflow configuration: DOCKERFLOW_HEARTBEAT_SHOW_DETAILS=\"maybe\" is not valid: "
                        + "expected true or false");
    }

    @Test
    void valuesSetInCodeWinOverTheEnvironment() {
        DockerflowConfig c = DockerflowConfig.builder()
                .environment(Map.ofEntries(Map.entry("DOCKERFLOW_CHECK_TIMEOUT_MS", "100"),
                        Map.entry("DOCKERFLOW_LOGGER_NAME", "env"), Map.entry("APP_DIR", "/env"),
                        Map.entry("DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "503"),
                        Map.entry("DOCKERFLOW_SILENCED_CHECKS", "a"), Map.entry("DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "true"),
                        Map.entry("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "false"),
                        Map.entry("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "true"),
                        Map.entry("DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Env"),
                        Map.entry("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "9000"), Map.entry("DOCKERFLOW_CHECK_CACHE_MS", "9000")))
                .checkTimeout(Duration.ofSeconds(2)).loggerName("code").appDir(Path.of("/code"))
                .heartbeatFailedStatusCode(502).silencedChecks(List.of("b")).errorEndpointEnabled(false)
                .heartbeatShowDetails(true).summaryLogQuerystring(false).requestIdHeaderName("X-Code")
                .shutdownDrain(Duration.ofSeconds(3)).checkCache(Duration.ZERO)
                .build();
        assertThat(c.shutdownDrain()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.checkCache()).isZero();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.loggerName()).isEqualTo("code");
        assertThat(c.appDir()).isEqualTo(Path.of("/code"));
        assertThat(c.heartbeatFailedStatusCode()).isEqualTo(502);
        assertThat(c.silencedChecks()).isEqualTo(Set.of("b"));
        assertThat(c.errorEndpointEnabled()).isFalse();
        assertThat(c.heartbeatShowDetails()).isTrue();
        assertThat(c.summaryLogQuerystring()).isFalse();
        assertThat(c.requestIdHeaderName()).isEqualTo("X-Code");
    }

    @Test
    void aValueSetInCodeWinsEvenOverABadEnvironmentValue() {
        DockerflowConfig c = DockerflowConfig.builder()
                .environment(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "bad", "DOCKERFLOW_SHUTDOWN_DRAIN_MS", "bad",
                        "DOCKERFLOW_CHECK_CACHE_MS", "bad"))
                .checkTimeout(Duration.ofMillis(10)).shutdownDrain(Duration.ofMillis(20))
                .checkCache(Duration.ofMillis(30)).build();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.shutdownDrain()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.checkCache()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void badValuesSetInCodeAreRejectedNamingThem() {
        assertThatThrownBy(() -> DockerflowConfig.builder().heartbeatFailedStatusCode(42))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("42");
        assertThatThrownBy(() -> DockerflowConfig.builder().checkTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkTimeout");
        assertThatThrownBy(() -> DockerflowConfig.builder().requestIdHeaderName("bad header"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad header");
        assertThatThrownBy(() -> DockerflowConfig.builder().loggerName(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loggerName");
        assertThatThrownBy(() -> DockerflowConfig.builder().shutdownDrain(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownDrain")
                .hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> DockerflowConfig.builder().shutdownDrain(Duration.ofMinutes(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownDrain")
                .hasMessageContaining("PT1H1M");
        assertThatThrownBy(() -> DockerflowConfig.builder().checkCache(Duration.ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkCache")
                .hasMessageContaining("PT-2S");
        assertThatThrownBy(() -> DockerflowConfig.builder().checkCache(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkCache")
                .hasMessageContaining("PT2H");
    }

    // Unknown variables are reported once per process, so each test below uses names no other test uses.

    @Test
    void aMisspelledVariableIsLoggedOnceAtWarningWithTheClosestKnownOne() {
        Map<String, String> env = Map.of(
                "DOCKERFLOW_CHECK_TIMEOUT", "2000",
                "DOCKERFLOW_SILENCE_CHECKS", "dockerflow.health.W001",
                "DOCKERFLOW_CHECK_TIMEOUT_MS", "2000",
                "APP_DIRECTORY", "/srv",
                "PATH", "/usr/bin");
        try (LogCapture log = LogCapture.of(DockerflowConfig.LOGGER)) {
            DockerflowConfig first = from(env);
            DockerflowConfig second = from(env);
            assertThat(first.checkTimeout()).isEqualTo(Duration.ofMillis(2000));
            assertThat(second.silencedChecks()).isEmpty();
            assertThat(log.messagesAt(Level.WARNING)).containsExactly(
                    "Unknown variable DOCKERFLOW_CHECK_TIMEOUT is ignored; did you mean DOCKERFLOW_CHECK_TIMEOUT_MS?",
                    "Unknown variable DOCKERFLOW_SILENCE_CHECKS is ignored; did you mean DOCKERFLOW_SILENCED_CHECKS?");
            assertThat(log.records()).hasSize(2);
        }
    }

    @Test
    void theWrongLetterCaseIsUnknownTooAndItsValueIsNeverLogged() {
        Map<String, String> env = Map.of(
                "dockerflow_heartbeat_show_details", "s3cr3t-value",
                "Dockerflow_Shutdown_Drain", "s3cr3t-value",
                "DOCKERFLOW_CACHE_MS", "s3cr3t-value");
        try (LogCapture log = LogCapture.of(DockerflowConfig.LOGGER)) {
            DockerflowConfig c = from(env);
            assertThat(c.heartbeatShowDetails()).isTrue();
            assertThat(log.messagesAt(Level.WARNING)).containsExactly(
                    "Unknown variable DOCKERFLOW_CACHE_MS is ignored; did you mean DOCKERFLOW_CHECK_CACHE_MS?",
                    "Unknown variable Dockerflow_Shutdown_Drain is ignored; did you mean DOCKERFLOW_SHUTDOWN_DRAIN_MS?",
                    "Unknown variable dockerflow_heartbeat_show_details is ignored; "
                            + "did you mean DOCKERFLOW_HEARTBEAT_SHOW_DETAILS?");
            assertThat(String.join("\n", log.messages())).doesNotContain("s3cr3t");
        }
    }

    @Test
    void anUnknownVariableIsReportedEvenWhenAKnownOneStopsStartUp() {
        try (LogCapture log = LogCapture.of(DockerflowConfig.LOGGER)) {
            assertThatThrownBy(() -> from(Map.of("DOCKERFLOW_CHECK_CACHE_MS", "soon",
                    "DOCKERFLOW_HEARTBEAT_FAILED_STATUS", "503")))
                    .isInstanceOf(DockerflowConfigException.class)
                    .hasMessageContaining("DOCKERFLOW_CHECK_CACHE_MS=\"soon\"");
            assertThat(log.messagesAt(Level.WARNING)).containsExactly("Unknown variable DOCKERFLOW_HEARTBEAT_FAILED_STATUS"
                    + " is ignored; did you mean DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE?");
        }
    }

    @Test
    void knownVariablesAndOtherPrefixesAreNotReported() {
        Map<String, String> env = new HashMap<>();
        DockerflowConfig.VARIABLES.forEach(v -> env.put(v, ""));
        env.put("DOCKERFLOWER_POWER", "on");
        env.put("MY_DOCKERFLOW_SETTING", "x");
        env.put("DOCKERFLOW", "x");
        try (LogCapture log = LogCapture.of(DockerflowConfig.LOGGER)) {
            from(env);
            assertThat(log.records()).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DOCKERFLOW_CHECK_TIMEOUT|DOCKERFLOW_CHECK_TIMEOUT_MS",
        "DOCKERFLOW_SILENCE_CHECKS|DOCKERFLOW_SILENCED_CHECKS",
        "DOCKERFLOW_SILENCED_CHECK|DOCKERFLOW_SILENCED_CHECKS",
        "DOCKERFLOW_CHECKS_TIMEOUT_MS|DOCKERFLOW_CHECK_TIMEOUT_MS",
        "DOCKERFLOW_DRAIN_MS|DOCKERFLOW_SHUTDOWN_DRAIN_MS",
        "DOCKERFLOW_CHECK_CACHE|DOCKERFLOW_CHECK_CACHE_MS",
        "DOCKERFLOW_HEARTBEAT_FAILED_STATUS|DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE",
        "DOCKERFLOW_SHOW_DETAILS|DOCKERFLOW_HEARTBEAT_SHOW_DETAILS",
        "DOCKERFLOW_LOG_QUERYSTRING|DOCKERFLOW_SUMMARY_LOG_QUERYSTRING",
        "DOCKERFLOW_REQUEST_ID_HEADER|DOCKERFLOW_REQUEST_ID_HEADER_NAME",
        "DOCKERFLOW_ERROR_ENDPOINT|DOCKERFLOW_ENABLE_ERROR_ENDPOINT",
        "dockerflow_logger_name|DOCKERFLOW_LOGGER_NAME",
    })
    void theClosestKnownVariableIsTheOneWithTheFewestEdits(String misspelled, String known) {
        assertThat(DockerflowConfig.closestVariable(misspelled)).isEqualTo(known);
    }

    @Test
    void editDistanceCountsInsertionsAndDeletionsAndAWrongLetterAsBoth() {
        assertThat(DockerflowConfig.editDistance("", "")).isZero();
        assertThat(DockerflowConfig.editDistance("abc", "")).isEqualTo(3);
        assertThat(DockerflowConfig.editDistance("", "abc")).isEqualTo(3);
        assertThat(DockerflowConfig.editDistance("abc", "abxc")).isEqualTo(1);
        assertThat(DockerflowConfig.editDistance("abc", "axc")).isEqualTo(2);
        assertThat(DockerflowConfig.editDistance("kitten", "sitting")).isEqualTo(5);
        assertThat(DockerflowConfig.editDistance("flaw", "lawn")).isEqualTo(2);
        assertThat(DockerflowConfig.editDistance("same", "same")).isZero();
    }
}
