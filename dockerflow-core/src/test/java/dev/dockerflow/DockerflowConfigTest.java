package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        assertThat(DockerflowConfig.defaults().toString()).isEqualTo(c.toString());
    }

    @Test
    void everyVariableIsRead() {
        DockerflowConfig c = from(Map.of(
                "APP_DIR", "/srv/app",
                "DOCKERFLOW_SILENCED_CHECKS", "dockerflow.health.W001, ,acme.E1,",
                "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "503",
                "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "False",
                "DOCKERFLOW_CHECK_TIMEOUT_MS", "750",
                "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "TRUE",
                "DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Amzn-Trace-Id",
                "DOCKERFLOW_LOGGER_NAME", "notes",
                "DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "true"));
        assertThat(c.appDir()).isEqualTo(Path.of("/srv/app"));
        assertThat(c.silencedChecks()).containsExactlyInAnyOrder("dockerflow.health.W001", "acme.E1");
        assertThat(c.heartbeatFailedStatusCode()).isEqualTo(503);
        assertThat(c.heartbeatShowDetails()).isFalse();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.summaryLogQuerystring()).isTrue();
        assertThat(c.requestIdHeaderName()).isEqualTo("X-Amzn-Trace-Id");
        assertThat(c.loggerName()).isEqualTo("notes");
        assertThat(c.errorEndpointEnabled()).isTrue();
        assertThat(DockerflowConfig.VARIABLES).hasSize(9);
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
    })
    void aBadValueStopsConstructionNamingTheVariableAndTheValue(String variable, String value) {
        assertThatThrownBy(() -> from(Map.of(variable, value)))
                .isInstanceOf(DockerflowConfigException.class)
                .hasMessageContaining(variable)
                .hasMessageContaining("\"" + value + "\"");
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
                .environment(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "100", "DOCKERFLOW_LOGGER_NAME", "env",
                        "APP_DIR", "/env", "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "503",
                        "DOCKERFLOW_SILENCED_CHECKS", "a", "DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "true",
                        "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "false", "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "true",
                        "DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Env"))
                .checkTimeout(Duration.ofSeconds(2)).loggerName("code").appDir(Path.of("/code"))
                .heartbeatFailedStatusCode(502).silencedChecks(List.of("b")).errorEndpointEnabled(false)
                .heartbeatShowDetails(true).summaryLogQuerystring(false).requestIdHeaderName("X-Code")
                .build();
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
                .environment(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "bad"))
                .checkTimeout(Duration.ofMillis(10)).build();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(10));
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
    }
}
