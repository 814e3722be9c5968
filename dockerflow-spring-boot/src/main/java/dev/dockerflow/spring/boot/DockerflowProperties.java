package dev.dockerflow.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dockerflow.*} properties. Each value of the contract's section 5 has one
 * property, named after its environment variable, so Spring Boot's relaxed binding reads the
 * variable unchanged: {@code DOCKERFLOW_CHECK_TIMEOUT_MS} sets
 * {@code dockerflow.check-timeout-ms}, and so on. {@code APP_DIR} is read as it is, with
 * {@code dockerflow.app-dir} taking precedence over it.
 *
 * <p>The contract's values are kept as the text they were given and validated by
 * {@code dockerflow-core} when the {@code Dockerflow} is built, so a bad value stops
 * start-up with the same message as every other adapter (naming the variable and the value)
 * and a boolean accepts {@code true}/{@code false} only, as the contract says, where
 * Spring's own conversion would also take {@code yes}, {@code on} or {@code 1}.
 *
 * <p>JavaBean accessors, as Spring Boot's binder and metadata generator need them. Not
 * thread-safe; Spring binds it once at start-up.
 */
@ConfigurationProperties(prefix = DockerflowProperties.PREFIX)
public class DockerflowProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "dockerflow";

    /** Whether Dockerflow is configured at all. */
    private boolean enabled = true;

    /** Folder holding version.json (APP_DIR, default /app); wins over the APP_DIR variable. */
    private String appDir;

    /** Message ids to drop from heartbeat reports (DOCKERFLOW_SILENCED_CHECKS, comma-separated). */
    private List<String> silencedChecks = new ArrayList<>();

    /** Status code of a failing heartbeat, from 100 to 599 (DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE, default 500). */
    private String heartbeatFailedStatusCode;

    /** Whether the heartbeat shows each check and its details, true or false (DOCKERFLOW_HEARTBEAT_SHOW_DETAILS, default true). */
    private String heartbeatShowDetails;

    /** Default per-check timeout in milliseconds, a positive whole number (DOCKERFLOW_CHECK_TIMEOUT_MS, default 3000). */
    private String checkTimeoutMs;

    /** Whether request summaries carry the decoded query string, true or false (DOCKERFLOW_SUMMARY_LOG_QUERYSTRING, default false). */
    private String summaryLogQuerystring;

    /** The request-ID header (DOCKERFLOW_REQUEST_ID_HEADER_NAME, default X-Request-ID). */
    private String requestIdHeaderName;

    /** The mozlog Logger value of request summaries (DOCKERFLOW_LOGGER_NAME, default Dockerflow). */
    private String loggerName;

    /** Whether /__error__ is served, true or false (DOCKERFLOW_ENABLE_ERROR_ENDPOINT, default false). */
    private String enableErrorEndpoint;

    /**
     * On shutdown, how long in milliseconds /__lbheartbeat__ answers 503 while every other
     * request is still served, before the web server stops (DOCKERFLOW_SHUTDOWN_DRAIN_MS, default 0).
     */
    private String shutdownDrainMs;

    /** How long in milliseconds a check's last result is reused by later heartbeats (DOCKERFLOW_CHECK_CACHE_MS, default 0). */
    private String checkCacheMs;

    private final Checks checks = new Checks();

    private final ActuatorHealth actuatorHealth = new ActuatorHealth();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getAppDir() {
        return appDir;
    }

    public void setAppDir(String appDir) {
        this.appDir = appDir;
    }

    public List<String> getSilencedChecks() {
        return silencedChecks;
    }

    public void setSilencedChecks(List<String> silencedChecks) {
        this.silencedChecks = silencedChecks;
    }

    public String getHeartbeatFailedStatusCode() {
        return heartbeatFailedStatusCode;
    }

    public void setHeartbeatFailedStatusCode(String heartbeatFailedStatusCode) {
        this.heartbeatFailedStatusCode = heartbeatFailedStatusCode;
    }

    public String getHeartbeatShowDetails() {
        return heartbeatShowDetails;
    }

    public void setHeartbeatShowDetails(String heartbeatShowDetails) {
        this.heartbeatShowDetails = heartbeatShowDetails;
    }

    public String getCheckTimeoutMs() {
        return checkTimeoutMs;
    }

    public void setCheckTimeoutMs(String checkTimeoutMs) {
        this.checkTimeoutMs = checkTimeoutMs;
    }

    public String getSummaryLogQuerystring() {
        return summaryLogQuerystring;
    }

    public void setSummaryLogQuerystring(String summaryLogQuerystring) {
        this.summaryLogQuerystring = summaryLogQuerystring;
    }

    public String getRequestIdHeaderName() {
        return requestIdHeaderName;
    }

    public void setRequestIdHeaderName(String requestIdHeaderName) {
        this.requestIdHeaderName = requestIdHeaderName;
    }

    public String getLoggerName() {
        return loggerName;
    }

    public void setLoggerName(String loggerName) {
        this.loggerName = loggerName;
    }

    public String getEnableErrorEndpoint() {
        return enableErrorEndpoint;
    }

    public void setEnableErrorEndpoint(String enableErrorEndpoint) {
        this.enableErrorEndpoint = enableErrorEndpoint;
    }

    public String getShutdownDrainMs() {
        return shutdownDrainMs;
    }

    public void setShutdownDrainMs(String shutdownDrainMs) {
        this.shutdownDrainMs = shutdownDrainMs;
    }

    public String getCheckCacheMs() {
        return checkCacheMs;
    }

    public void setCheckCacheMs(String checkCacheMs) {
        this.checkCacheMs = checkCacheMs;
    }

    public Checks getChecks() {
        return checks;
    }

    public ActuatorHealth getActuatorHealth() {
        return actuatorHealth;
    }

    /** Built-in checks made from the application's beans. */
    public static class Checks {

        private final Toggle database = new Toggle();

        private final Toggle migrations = new Toggle();

        private final Toggle redis = new Toggle();

        /**
         * The database check ({@code check_database_connected}) of the application's
         * {@code DataSource}.
         *
         * @return its switch
         */
        public Toggle getDatabase() {
            return database;
        }

        /**
         * The migrations check ({@code check_migrations_applied}) of the application's
         * Flyway or Liquibase.
         *
         * @return its switch
         */
        public Toggle getMigrations() {
            return migrations;
        }

        /**
         * The Redis check ({@code check_redis_connected}) of the application's Redis
         * connection factory or client.
         *
         * @return its switch
         */
        public Toggle getRedis() {
            return redis;
        }
    }

    /** Turns one built-in check on or off. */
    public static class Toggle {

        /** Whether the check is registered when the application has what it checks. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Spring Boot Actuator's health indicators as Dockerflow checks. */
    public static class ActuatorHealth {

        /** Whether the application's HealthIndicator and HealthContributor beans become Dockerflow checks. */
        private boolean enabled;

        /**
         * Dockerflow level of each health status code: ok, debug, info, warning, error or
         * critical. Statuses not listed here keep their default (DOWN and OUT_OF_SERVICE
         * error, UNKNOWN warning, UP ok, any other warning).
         */
        private Map<String, String> levels = new LinkedHashMap<>();

        /** Names of health contributors not to turn into checks (as Actuator names them, e.g. db, diskSpace). */
        private List<String> exclude = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Map<String, String> getLevels() {
            return levels;
        }

        public void setLevels(Map<String, String> levels) {
            this.levels = levels;
        }

        public List<String> getExclude() {
            return exclude;
        }

        public void setExclude(List<String> exclude) {
            this.exclude = exclude;
        }
    }
}
