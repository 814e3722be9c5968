package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.DockerflowConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * Every variable of contract section 5, set in the environment exactly as the contract names
 * it, reaches the Dockerflow through Spring Boot's relaxed binding; bad values stop start-up
 * with the contract's message.
 */
class ConfigurationTest {

    private static WebApplicationContextRunner runner(Map<String, Object> environment) {
        return new WebApplicationContextRunner().withInitializer(TestEnvironment.of(environment))
                .withConfiguration(AutoConfigurationTest.DOCKERFLOW);
    }

    static Stream<Arguments> variables() {
        return Stream.of(
                Arguments.of("APP_DIR", "/srv/app", (Function<DockerflowConfig, Object>) DockerflowConfig::appDir, Path.of("/srv/app")),
                Arguments.of("DOCKERFLOW_SILENCED_CHECKS", "acme.db.W001,acme.cache.E002",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::silencedChecks, Set.of("acme.db.W001", "acme.cache.E002")),
                Arguments.of("DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "503",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::heartbeatFailedStatusCode, 503),
                Arguments.of("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "false",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::heartbeatShowDetails, false),
                Arguments.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "1234",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::checkTimeout, Duration.ofMillis(1234)),
                Arguments.of("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "TRUE",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::summaryLogQuerystring, true),
                Arguments.of("DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Trace",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::requestIdHeaderName, "X-Trace"),
                Arguments.of("DOCKERFLOW_LOGGER_NAME", "notes-api",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::loggerName, "notes-api"),
                Arguments.of("DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "true",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::errorEndpointEnabled, true),
                Arguments.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "2500",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::shutdownDrain, Duration.ofMillis(2500)),
                Arguments.of("DOCKERFLOW_CHECK_CACHE_MS", "750",
                        (Function<DockerflowConfig, Object>) DockerflowConfig::checkCache, Duration.ofMillis(750)));
    }

    @Test
    void theCasesCoverEveryVariableOfTheContract() {
        assertThat(variables().map(a -> (String) a.get()[0])).containsExactlyInAnyOrderElementsOf(DockerflowConfig.VARIABLES);
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("variables")
    void theContractsEnvironmentVariableWorksUnchanged(String variable, String value, Function<DockerflowConfig, Object> read,
            Object expected) {
        runner(Map.of(variable, value)).run(context -> {
            assertThat(context).hasNotFailed();
            DockerflowConfig config = context.getBean(Dockerflow.class).config();
            assertThat(read.apply(config)).isEqualTo(expected);
            assertThat(read.apply(config)).isNotEqualTo(read.apply(DockerflowConfig.defaults()));
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("variables")
    void theSamePropertyWorksInApplicationProperties(String variable, String value, Function<DockerflowConfig, Object> read,
            Object expected) {
        runner(Map.of()).withPropertyValues(ConfigSource.propertyOf(variable) + "=" + value).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(read.apply(context.getBean(Dockerflow.class).config())).isEqualTo(expected);
        });
    }

    @Test
    void aPropertyOfTheApplicationIsOverriddenByTheEnvironmentAsBootOrdersThem() {
        runner(Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "900")).withPropertyValues("dockerflow.check-timeout-ms=800")
                .run(context -> assertThat(context.getBean(Dockerflow.class).config().checkTimeout()).isEqualTo(Duration.ofMillis(800)));
    }

    @Test
    void appDirPropertyWinsOverTheAppDirVariable() {
        runner(Map.of("APP_DIR", "/from/env")).withPropertyValues("dockerflow.app-dir=/from/property")
                .run(context -> assertThat(context.getBean(Dockerflow.class).config().appDir()).isEqualTo(Path.of("/from/property")));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE", "700"),
                Arguments.of("DOCKERFLOW_HEARTBEAT_SHOW_DETAILS", "yes"),
                Arguments.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "3s"),
                Arguments.of("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "1"),
                Arguments.of("DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X Request"),
                Arguments.of("DOCKERFLOW_ENABLE_ERROR_ENDPOINT", "on"),
                Arguments.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "-5"),
                Arguments.of("DOCKERFLOW_CHECK_CACHE_MS", "soon"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void aBadValueStopsStartUpWithTheContractsMessageAndAFailureAnalysis(String variable, String value) {
        runner(Map.of(variable, value)).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            DockerflowConfigException cause = findCause(failure);
            String expected = DockerflowConfigException.class.cast(expectedFailure(variable, value)).getMessage();
            assertThat(cause.getMessage()).isEqualTo(expected).contains(variable + "=\"" + value + "\"");
            FailureAnalysis analysis = new DockerflowConfigFailureAnalyzer().analyze(failure);
            assertThat(analysis.getDescription()).isEqualTo(expected);
            assertThat(analysis.getAction()).contains(variable).contains(ConfigSource.propertyOf(variable));
        });
    }

    @Test
    void theFailureAnalyzerIsRegisteredForBoot() throws Exception {
        List<String> lines = new String(getClass().getResourceAsStream("/META-INF/spring.factories").readAllBytes()).lines().toList();
        assertThat(String.join("\n", lines)).contains("org.springframework.boot.diagnostics.FailureAnalyzer")
                .contains(DockerflowConfigFailureAnalyzer.class.getName());
    }

    private static Throwable expectedFailure(String variable, String value) {
        try {
            DockerflowConfig.builder().environment(Map.of(variable, value)).build();
        } catch (DockerflowConfigException e) {
            return e;
        }
        throw new AssertionError("the core accepts " + variable + "=" + value);
    }

    private static DockerflowConfigException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DockerflowConfigException e) {
                return e;
            }
        }
        throw new AssertionError("no DockerflowConfigException in " + failure, failure);
    }
}
