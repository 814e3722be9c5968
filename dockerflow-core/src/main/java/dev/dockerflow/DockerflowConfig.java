package dev.dockerflow;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Dockerflow settings, read from the environment (Dockerflow rule 1) with values set
 * in code taking precedence.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code APP_DIR}</td><td>{@code /app}</td><td>folder holding {@code version.json}</td></tr>
 *   <tr><td>{@code DOCKERFLOW_SILENCED_CHECKS}</td><td>empty</td><td>comma-separated message ids to drop</td></tr>
 *   <tr><td>{@code DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE}</td><td>{@code 500}</td><td>status of a failing heartbeat</td></tr>
 *   <tr><td>{@code DOCKERFLOW_HEARTBEAT_SHOW_DETAILS}</td><td>{@code true}</td><td>{@code false} answers {@code {"status"}} only</td></tr>
 *   <tr><td>{@code DOCKERFLOW_CHECK_TIMEOUT_MS}</td><td>{@code 3000}</td><td>default per-check timeout</td></tr>
 *   <tr><td>{@code DOCKERFLOW_SUMMARY_LOG_QUERYSTRING}</td><td>{@code false}</td><td>add {@code querystring} to summaries</td></tr>
 *   <tr><td>{@code DOCKERFLOW_REQUEST_ID_HEADER_NAME}</td><td>{@code X-Request-ID}</td><td>request-ID header</td></tr>
 *   <tr><td>{@code DOCKERFLOW_LOGGER_NAME}</td><td>{@code Dockerflow}</td><td>mozlog {@code Logger} value</td></tr>
 *   <tr><td>{@code DOCKERFLOW_ENABLE_ERROR_ENDPOINT}</td><td>{@code false}</td><td>serve {@code /__error__}</td></tr>
 * </table>
 *
 * <p>A variable that is unset or empty takes its default. A value that does not parse
 * (a status code outside 100-599, a timeout that is not a positive whole number, a
 * boolean other than {@code true}/{@code false} in any case) makes {@link Builder#build()}
 * throw one {@link DockerflowConfigException} naming every bad variable and value; it is
 * never silently replaced. Immutable and thread-safe.
 */
public final class DockerflowConfig {

    /** Variable: folder holding {@code version.json}. */
    public static final String APP_DIR = "APP_DIR";
    /** Variable: comma-separated message ids to drop. */
    public static final String SILENCED_CHECKS = "DOCKERFLOW_SILENCED_CHECKS";
    /** Variable: status code of a failing heartbeat. */
    public static final String HEARTBEAT_FAILED_STATUS_CODE = "DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE";
    /** Variable: whether the heartbeat shows checks and details. */
    public static final String HEARTBEAT_SHOW_DETAILS = "DOCKERFLOW_HEARTBEAT_SHOW_DETAILS";
    /** Variable: default per-check timeout in milliseconds. */
    public static final String CHECK_TIMEOUT_MS = "DOCKERFLOW_CHECK_TIMEOUT_MS";
    /** Variable: whether summaries carry the decoded query string. */
    public static final String SUMMARY_LOG_QUERYSTRING = "DOCKERFLOW_SUMMARY_LOG_QUERYSTRING";
    /** Variable: the request-ID header name. */
    public static final String REQUEST_ID_HEADER_NAME = "DOCKERFLOW_REQUEST_ID_HEADER_NAME";
    /** Variable: the mozlog {@code Logger} value. */
    public static final String LOGGER_NAME = "DOCKERFLOW_LOGGER_NAME";
    /** Variable: whether {@code /__error__} is served. */
    public static final String ENABLE_ERROR_ENDPOINT = "DOCKERFLOW_ENABLE_ERROR_ENDPOINT";

    /** The longest check timeout accepted: one hour. A heartbeat that waits longer helps no probe. */
    public static final Duration MAX_CHECK_TIMEOUT = Duration.ofHours(1);

    /** Every variable this class reads, in documentation order. */
    public static final List<String> VARIABLES = List.of(APP_DIR, SILENCED_CHECKS, HEARTBEAT_FAILED_STATUS_CODE,
            HEARTBEAT_SHOW_DETAILS, CHECK_TIMEOUT_MS, SUMMARY_LOG_QUERYSTRING, REQUEST_ID_HEADER_NAME, LOGGER_NAME,
            ENABLE_ERROR_ENDPOINT);

    private final Path appDir;
    private final Set<String> silencedChecks;
    private final int heartbeatFailedStatusCode;
    private final boolean heartbeatShowDetails;
    private final Duration checkTimeout;
    private final boolean summaryLogQuerystring;
    private final String requestIdHeaderName;
    private final String loggerName;
    private final boolean errorEndpointEnabled;

    private DockerflowConfig(Path appDir, Set<String> silencedChecks, int heartbeatFailedStatusCode,
            boolean heartbeatShowDetails, Duration checkTimeout, boolean summaryLogQuerystring,
            String requestIdHeaderName, String loggerName, boolean errorEndpointEnabled) {
        this.appDir = appDir;
        this.silencedChecks = silencedChecks;
        this.heartbeatFailedStatusCode = heartbeatFailedStatusCode;
        this.heartbeatShowDetails = heartbeatShowDetails;
        this.checkTimeout = checkTimeout;
        this.summaryLogQuerystring = summaryLogQuerystring;
        this.requestIdHeaderName = requestIdHeaderName;
        this.loggerName = loggerName;
        this.errorEndpointEnabled = errorEndpointEnabled;
    }

    /**
     * The configuration from this process's environment, nothing overridden.
     *
     * @return the configuration
     * @throws DockerflowConfigException if a variable holds a bad value
     */
    public static DockerflowConfig fromEnvironment() {
        return builder().build();
    }

    /**
     * The defaults alone, ignoring the environment; for tests and embedded use.
     *
     * @return the default configuration
     */
    public static DockerflowConfig defaults() {
        return builder().environment(Map.of()).build();
    }

    /**
     * Starts a configuration read from this process's environment; use
     * {@link Builder#environment(Map)} to read another map instead.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Folder holding {@code version.json} ({@code APP_DIR}, default {@code /app}).
     *
     * @return the folder
     */
    public Path appDir() {
        return appDir;
    }

    /**
     * Message ids dropped from heartbeat results ({@code DOCKERFLOW_SILENCED_CHECKS}).
     *
     * @return an immutable set, empty by default
     */
    public Set<String> silencedChecks() {
        return silencedChecks;
    }

    /**
     * Status of a failing heartbeat ({@code DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE}, default 500).
     *
     * @return a status code from 100 to 599
     */
    public int heartbeatFailedStatusCode() {
        return heartbeatFailedStatusCode;
    }

    /**
     * Whether the heartbeat payload shows {@code checks} and {@code details}
     * ({@code DOCKERFLOW_HEARTBEAT_SHOW_DETAILS}, default {@code true}).
     *
     * @return {@code false} for the status-only payload
     */
    public boolean heartbeatShowDetails() {
        return heartbeatShowDetails;
    }

    /**
     * Timeout of checks registered without their own ({@code DOCKERFLOW_CHECK_TIMEOUT_MS}, default 3000 ms).
     *
     * @return a positive duration
     */
    public Duration checkTimeout() {
        return checkTimeout;
    }

    /**
     * Whether summaries carry {@code querystring} ({@code DOCKERFLOW_SUMMARY_LOG_QUERYSTRING}, default {@code false}).
     *
     * @return {@code true} to log the decoded query string
     */
    public boolean summaryLogQuerystring() {
        return summaryLogQuerystring;
    }

    /**
     * The request-ID header ({@code DOCKERFLOW_REQUEST_ID_HEADER_NAME}, default {@code X-Request-ID}).
     *
     * @return the header name
     */
    public String requestIdHeaderName() {
        return requestIdHeaderName;
    }

    /**
     * The mozlog {@code Logger} value ({@code DOCKERFLOW_LOGGER_NAME}, default {@code Dockerflow}).
     *
     * @return the logger name
     */
    public String loggerName() {
        return loggerName;
    }

    /**
     * Whether {@code /__error__} is served ({@code DOCKERFLOW_ENABLE_ERROR_ENDPOINT}, default {@code false}).
     *
     * @return {@code true} when enabled
     */
    public boolean errorEndpointEnabled() {
        return errorEndpointEnabled;
    }

    @Override
    public String toString() {
        return "DockerflowConfig[appDir=" + appDir + ", silencedChecks=" + silencedChecks
                + ", heartbeatFailedStatusCode=" + heartbeatFailedStatusCode
                + ", heartbeatShowDetails=" + heartbeatShowDetails + ", checkTimeout=" + checkTimeout.toMillis() + "ms"
                + ", summaryLogQuerystring=" + summaryLogQuerystring + ", requestIdHeaderName=" + requestIdHeaderName
                + ", loggerName=" + loggerName + ", errorEndpointEnabled=" + errorEndpointEnabled + "]";
    }

    /**
     * Reads the environment and applies values set in code. Not thread-safe.
     */
    public static final class Builder {
        private Map<String, String> environment = System.getenv();
        private Path appDir;
        private Set<String> silencedChecks;
        private Integer heartbeatFailedStatusCode;
        private Boolean heartbeatShowDetails;
        private Duration checkTimeout;
        private Boolean summaryLogQuerystring;
        private String requestIdHeaderName;
        private String loggerName;
        private Boolean errorEndpointEnabled;

        private Builder() {
        }

        /**
         * Reads variables from this map instead of the process environment.
         *
         * @param environment variable names to values
         * @return this builder
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
            return this;
        }

        /**
         * Sets the folder holding {@code version.json}, overriding {@code APP_DIR}.
         *
         * @param appDir the folder
         * @return this builder
         */
        public Builder appDir(Path appDir) {
            this.appDir = Objects.requireNonNull(appDir, "appDir");
            return this;
        }

        /**
         * Sets the silenced message ids, overriding {@code DOCKERFLOW_SILENCED_CHECKS}.
         *
         * @param ids message ids
         * @return this builder
         */
        public Builder silencedChecks(Collection<String> ids) {
            this.silencedChecks = Set.copyOf(Objects.requireNonNull(ids, "ids"));
            return this;
        }

        /**
         * Sets the status of a failing heartbeat, overriding
         * {@code DOCKERFLOW_HEARTBEAT_FAILED_STATUS_CODE}.
         *
         * @param status from 100 to 599
         * @return this builder
         * @throws IllegalArgumentException if the status is outside 100-599
         */
        public Builder heartbeatFailedStatusCode(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("heartbeatFailedStatusCode must be from 100 to 599, got " + status);
            }
            this.heartbeatFailedStatusCode = status;
            return this;
        }

        /**
         * Sets whether the heartbeat shows details, overriding
         * {@code DOCKERFLOW_HEARTBEAT_SHOW_DETAILS}.
         *
         * @param show {@code false} for the status-only payload
         * @return this builder
         */
        public Builder heartbeatShowDetails(boolean show) {
            this.heartbeatShowDetails = show;
            return this;
        }

        /**
         * Sets the default check timeout, overriding {@code DOCKERFLOW_CHECK_TIMEOUT_MS}.
         *
         * @param timeout at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException if the timeout is below 1 ms
         */
        public Builder checkTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(MAX_CHECK_TIMEOUT) > 0) {
                throw new IllegalArgumentException("checkTimeout must be from 1 ms to one hour, got " + timeout);
            }
            this.checkTimeout = timeout;
            return this;
        }

        /**
         * Sets whether summaries carry the query string, overriding
         * {@code DOCKERFLOW_SUMMARY_LOG_QUERYSTRING}.
         *
         * @param log {@code true} to log it
         * @return this builder
         */
        public Builder summaryLogQuerystring(boolean log) {
            this.summaryLogQuerystring = log;
            return this;
        }

        /**
         * Sets the request-ID header, overriding {@code DOCKERFLOW_REQUEST_ID_HEADER_NAME}.
         *
         * @param name an HTTP header name
         * @return this builder
         * @throws IllegalArgumentException if the name is not a valid header name
         */
        public Builder requestIdHeaderName(String name) {
            Objects.requireNonNull(name, "name");
            if (!isToken(name)) {
                throw new IllegalArgumentException("requestIdHeaderName is not a valid HTTP header name: \"" + name + "\"");
            }
            this.requestIdHeaderName = name;
            return this;
        }

        /**
         * Sets the mozlog {@code Logger} value, overriding {@code DOCKERFLOW_LOGGER_NAME}.
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder loggerName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("loggerName must not be blank");
            }
            this.loggerName = name;
            return this;
        }

        /**
         * Sets whether {@code /__error__} is served, overriding
         * {@code DOCKERFLOW_ENABLE_ERROR_ENDPOINT}.
         *
         * @param enabled {@code true} to serve it
         * @return this builder
         */
        public Builder errorEndpointEnabled(boolean enabled) {
            this.errorEndpointEnabled = enabled;
            return this;
        }

        /**
         * Reads the environment, applies the values set in code and validates.
         *
         * @return the configuration
         * @throws DockerflowConfigException naming every variable whose value does not parse
         */
        public DockerflowConfig build() {
            List<String> problems = new ArrayList<>();
            Path dir = appDir != null ? appDir : path(APP_DIR, Path.of("/app"), problems);
            Set<String> silenced = silencedChecks != null ? silencedChecks : list(SILENCED_CHECKS);
            int failedStatus = heartbeatFailedStatusCode != null ? heartbeatFailedStatusCode : status(problems);
            boolean details = heartbeatShowDetails != null ? heartbeatShowDetails
                    : bool(HEARTBEAT_SHOW_DETAILS, true, problems);
            Duration timeout = checkTimeout != null ? checkTimeout : timeout(problems);
            boolean querystring = summaryLogQuerystring != null ? summaryLogQuerystring
                    : bool(SUMMARY_LOG_QUERYSTRING, false, problems);
            String header = requestIdHeaderName != null ? requestIdHeaderName : header(problems);
            String logger = loggerName != null ? loggerName : value(LOGGER_NAME, Mozlog.DEFAULT_LOGGER_NAME);
            boolean errorEndpoint = errorEndpointEnabled != null ? errorEndpointEnabled
                    : bool(ENABLE_ERROR_ENDPOINT, false, problems);
            if (!problems.isEmpty()) {
                throw new DockerflowConfigException(problems);
            }
            return new DockerflowConfig(dir, silenced, failedStatus, details, timeout, querystring, header,
                    logger.strip(), errorEndpoint);
        }

        private String raw(String variable) {
            String value = environment.get(variable);
            return value == null || value.isBlank() ? null : value;
        }

        private String value(String variable, String fallback) {
            String value = raw(variable);
            return value == null ? fallback : value;
        }

        private static String bad(String variable, String value, String expected) {
            return variable + "=\"" + value + "\" is not valid: expected " + expected;
        }

        private Path path(String variable, Path fallback, List<String> problems) {
            String value = raw(variable);
            if (value == null) {
                return fallback;
            }
            try {
                return Path.of(value.strip());
            } catch (InvalidPathException e) {
                problems.add(bad(variable, value, "a folder path (" + e.getReason() + ")"));
                return fallback;
            }
        }

        private Set<String> list(String variable) {
            String value = raw(variable);
            if (value == null) {
                return Set.of();
            }
            Set<String> ids = new LinkedHashSet<>();
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
            return Set.copyOf(ids);
        }

        private boolean bool(String variable, boolean fallback, List<String> problems) {
            String value = raw(variable);
            if (value == null) {
                return fallback;
            }
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    problems.add(bad(variable, value, "true or false"));
                    return fallback;
            }
        }

        private int status(List<String> problems) {
            String value = raw(HEARTBEAT_FAILED_STATUS_CODE);
            if (value == null) {
                return 500;
            }
            try {
                int status = Integer.parseInt(value.strip());
                if (status >= 100 && status <= 599) {
                    return status;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(bad(HEARTBEAT_FAILED_STATUS_CODE, value, "an HTTP status code from 100 to 599"));
            return 500;
        }

        private Duration timeout(List<String> problems) {
            String value = raw(CHECK_TIMEOUT_MS);
            if (value == null) {
                return Heartbeat.DEFAULT_TIMEOUT;
            }
            try {
                long millis = Long.parseLong(value.strip());
                if (millis > 0 && millis <= MAX_CHECK_TIMEOUT.toMillis()) {
                    return Duration.ofMillis(millis);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(bad(CHECK_TIMEOUT_MS, value, "a positive whole number of milliseconds, at most "
                    + MAX_CHECK_TIMEOUT.toMillis() + " (one hour)"));
            return Heartbeat.DEFAULT_TIMEOUT;
        }

        private String header(List<String> problems) {
            String value = raw(REQUEST_ID_HEADER_NAME);
            if (value == null) {
                return RequestId.DEFAULT_HEADER;
            }
            if (!isToken(value.strip())) {
                problems.add(bad(REQUEST_ID_HEADER_NAME, value, "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)"));
                return RequestId.DEFAULT_HEADER;
            }
            return value.strip();
        }

        private static boolean isToken(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
