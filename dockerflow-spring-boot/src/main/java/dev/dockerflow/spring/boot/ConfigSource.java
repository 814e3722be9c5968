package dev.dockerflow.spring.boot;

import dev.dockerflow.DockerflowConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns the bound {@code dockerflow.*} properties back into the contract's variables, so
 * {@code dockerflow-core} validates them with its own rules and messages.
 */
final class ConfigSource {

    /** Environment variables that are Spring properties of this module, not contract variables. */
    private static final String[] SPRING_ONLY = {"DOCKERFLOW_ENABLED", "DOCKERFLOW_CHECKS_", "DOCKERFLOW_ACTUATOR"};

    private ConfigSource() {
    }

    /**
     * The configuration of {@code properties}; {@code APP_DIR} from the environment when
     * {@code dockerflow.app-dir} is unset.
     */
    static DockerflowConfig.Builder builder(DockerflowProperties properties, Environment environment) {
        return DockerflowConfig.builder().environment(variables(properties, environment));
    }

    static Map<String, String> variables(DockerflowProperties properties, Environment environment) {
        Map<String, String> variables = new LinkedHashMap<>();
        // names only: the core reports a DOCKERFLOW_ variable it does not know (a misspelling) once, at WARNING
        unknownVariables(environment).forEach(name -> variables.put(name, ""));
        String appDir = properties.getAppDir() != null ? properties.getAppDir() : environment.getProperty(DockerflowConfig.APP_DIR);
        put(variables, DockerflowConfig.APP_DIR, appDir);
        put(variables, DockerflowConfig.SILENCED_CHECKS, String.join(",", properties.getSilencedChecks()));
        put(variables, DockerflowConfig.HEARTBEAT_FAILED_STATUS_CODE, properties.getHeartbeatFailedStatusCode());
        put(variables, DockerflowConfig.HEARTBEAT_SHOW_DETAILS, properties.getHeartbeatShowDetails());
        put(variables, DockerflowConfig.CHECK_TIMEOUT_MS, properties.getCheckTimeoutMs());
        put(variables, DockerflowConfig.SUMMARY_LOG_QUERYSTRING, properties.getSummaryLogQuerystring());
        put(variables, DockerflowConfig.REQUEST_ID_HEADER_NAME, properties.getRequestIdHeaderName());
        put(variables, DockerflowConfig.LOGGER_NAME, properties.getLoggerName());
        put(variables, DockerflowConfig.ENABLE_ERROR_ENDPOINT, properties.getEnableErrorEndpoint());
        put(variables, DockerflowConfig.SHUTDOWN_DRAIN_MS, properties.getShutdownDrainMs());
        put(variables, DockerflowConfig.CHECK_CACHE_MS, properties.getCheckCacheMs());
        return variables;
    }

    private static void put(Map<String, String> variables, String name, String value) {
        if (value != null) {
            variables.put(name, value);
        }
    }

    private static java.util.List<String> unknownVariables(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return java.util.List.of();
        }
        PropertySource<?> source = configurable.getPropertySources().get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(enumerable.getPropertyNames())
                .filter(name -> name.toUpperCase(Locale.ROOT).startsWith("DOCKERFLOW_"))
                .filter(name -> !DockerflowConfig.VARIABLES.contains(name.toUpperCase(Locale.ROOT)))
                .filter(name -> java.util.Arrays.stream(SPRING_ONLY).noneMatch(name.toUpperCase(Locale.ROOT)::startsWith))
                .toList();
    }

    /** The property that sets a contract variable, for messages: {@code DOCKERFLOW_CHECK_TIMEOUT_MS} -> {@code dockerflow.check-timeout-ms}. */
    static String propertyOf(String variable) {
        if (variable.equals(DockerflowConfig.APP_DIR)) {
            return "dockerflow.app-dir";
        }
        if (variable.equals(DockerflowConfig.ENABLE_ERROR_ENDPOINT)) {
            return "dockerflow.enable-error-endpoint";
        }
        return "dockerflow." + variable.substring("DOCKERFLOW_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
