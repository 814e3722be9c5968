package dev.dockerflow;

import java.lang.System.Logger;
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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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
 *   <tr><td>{@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}</td><td>{@code 0}</td><td>on shutdown, how long
 *       {@code /__lbheartbeat__} answers {@code 503} while other requests are still served</td></tr>
 *   <tr><td>{@code DOCKERFLOW_CHECK_CACHE_MS}</td><td>{@code 0}</td><td>how long a check's last result
 *       is reused by later heartbeats</td></tr>
 * </table>
 *
 * <p>A variable that is unset or empty takes its default. A value that does not parse
 * (a status code outside 100-599, a timeout that is not a positive whole number, a drain
 * or cache time that is not a whole number from 0 to one hour, a boolean other than
 * {@code true}/{@code false} in any case) makes {@link Builder#build()} throw one
 * {@link DockerflowConfigException} naming every bad variable and value; it is never
 * silently replaced.
 *
 * <p>A variable whose name starts with {@code DOCKERFLOW_} (in any letter case) but is
 * none of the above is most likely misspelled: {@link Builder#build()} logs it once per
 * process at WARNING on the {@value #LOGGER} logger, with the closest known variable,
 * for example {@code Unknown variable DOCKERFLOW_CHECK_TIMEOUT is ignored; did you mean
 * DOCKERFLOW_CHECK_TIMEOUT_MS?}. Its value is not logged. Immutable and thread-safe.
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
    /** Variable: how long, in milliseconds, {@code /__lbheartbeat__} answers 503 before the server stops. */
    public static final String SHUTDOWN_DRAIN_MS = "DOCKERFLOW_SHUTDOWN_DRAIN_MS";
    /** Variable: how long, in milliseconds, a check's last result is reused. */
    public static final String CHECK_CACHE_MS = "DOCKERFLOW_CHECK_CACHE_MS";

    /** The logger that reports unknown {@code DOCKERFLOW_} variables. */
    public static final String LOGGER = "dockerflow.config";

    /** The longest check timeout accepted: one hour. A heartbeat that waits longer helps no probe. */
    public static final Duration MAX_CHECK_TIMEOUT = Duration.ofHours(1);
    /** The longest shutdown drain accepted: one hour. No orchestrator waits that long. */
    public static final Duration MAX_SHUTDOWN_DRAIN = Duration.ofHours(1);
    /** The longest check cache accepted: one hour. An older result tells a probe nothing. */
    public static final Duration MAX_CHECK_CACHE = Duration.ofHours(1);

    /** Every variable this class reads, in documentation order. */
    public static final List<String> VARIABLES = List.of(APP_DIR, SILENCED_CHECKS, HEARTBEAT_FAILED_STATUS_CODE,
            HEARTBEAT_SHOW_DETAILS, CHECK_TIMEOUT_MS, SUMMARY_LOG_QUERYSTRING, REQUEST_ID_HEADER_NAME, LOGGER_NAME,
            ENABLE_ERROR_ENDPOINT, SHUTDOWN_DRAIN_MS, CHECK_CACHE_MS);

    private static final String PREFIX = "DOCKERFLOW_";
    private static final Logger CONFIG_LOGGER = System.getLogger(LOGGER);
    /** Unknown variable names already reported in this process: each is reported once. */
    private static final Set<String> REPORTED_UNKNOWN = ConcurrentHashMap.newKeySet();

    private final Path appDir;
    private final Set<String> silencedChecks;
    private final int heartbeatFailedStatusCode;
    private final boolean heartbeatShowDetails;
    private final Duration checkTimeout;
    private final boolean summaryLogQuerystring;
    private final String requestIdHeaderName;
    private final String loggerName;
    private final boolean errorEndpointEnabled;
    private final Duration shutdownDrain;
    private final Duration checkCache;

    private DockerflowConfig(Path appDir, Set<String> silencedChecks, int heartbeatFailedStatusCode,
            boolean heartbeatShowDetails, Duration checkTimeout, boolean summaryLogQuerystring,
            String requestIdHeaderName, String loggerName, boolean errorEndpointEnabled, Duration shutdownDrain,
            Duration checkCache) {
        this.appDir = appDir;
        this.silencedChecks = silencedChecks;
        this.heartbeatFailedStatusCode = heartbeatFailedStatusCode;
        this.heartbeatShowDetails = heartbeatShowDetails;
        this.checkTimeout = checkTimeout;
        this.summaryLogQuerystring = summaryLogQuerystring;
        this.requestIdHeaderName = requestIdHeaderName;
        this.loggerName = loggerName;
        this.errorEndpointEnabled = errorEndpointEnabled;
        this.shutdownDrain = shutdownDrain;
        this.checkCache = checkCache;
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

    /**
     * How long {@code /__lbheartbeat__} answers {@code 503} once the process is asked to
     * stop, while every other request is still served, before the server stops accepting
     * ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}, default 0: no drain).
     *
     * @return a duration from zero to {@link #MAX_SHUTDOWN_DRAIN}
     */
    public Duration shutdownDrain() {
        return shutdownDrain;
    }

    /**
     * How long after a check's last run finished a heartbeat reuses that result instead
     * of running the check again, for checks that set no cache time of their own
     * ({@code DOCKERFLOW_CHECK_CACHE_MS}, default 0: every heartbeat runs the checks).
     *
     * @return a duration from zero to {@link #MAX_CHECK_CACHE}
     */
    public Duration checkCache() {
        return checkCache;
    }

    @Override
    public String toString() {
        return "DockerflowConfig[appDir=" + appDir + ", silencedChecks=" + silencedChecks
                + ", heartbeatFailedStatusCode=" + heartbeatFailedStatusCode
                + ", heartbeatShowDetails=" + heartbeatShowDetails + ", checkTimeout=" + checkTimeout.toMillis() + "ms"
                + ", summaryLogQuerystring=" + summaryLogQuerystring + ", requestIdHeaderName=" + requestIdHeaderName
                + ", loggerName=" + loggerName + ", errorEndpointEnabled=" + errorEndpointEnabled
                + ", shutdownDrain=" + shutdownDrain.toMillis() + "ms, checkCache=" + checkCache.toMillis() + "ms]";
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
        private Duration shutdownDrain;
        private Duration checkCache;

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
         * Sets the shutdown drain, overriding {@code DOCKERFLOW_SHUTDOWN_DRAIN_MS}.
         *
         * @param drain from zero (no drain) to one hour
         * @return this builder
         * @throws IllegalArgumentException if the drain is negative or longer than one hour
         */
        public Builder shutdownDrain(Duration drain) {
            this.shutdownDrain = between("shutdownDrain", drain, MAX_SHUTDOWN_DRAIN);
            return this;
        }

        /**
         * Sets how long a check's last result is reused, overriding
         * {@code DOCKERFLOW_CHECK_CACHE_MS}.
         *
         * @param cache from zero (no cache) to one hour
         * @return this builder
         * @throws IllegalArgumentException if the time is negative or longer than one hour
         */
        public Builder checkCache(Duration cache) {
            this.checkCache = between("checkCache", cache, MAX_CHECK_CACHE);
            return this;
        }

        private static Duration between(String setting, Duration value, Duration max) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(setting + " must be from 0 ms to one hour, got " + value);
            }
            return value;
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
            Duration drain = shutdownDrain != null ? shutdownDrain
                    : millis(SHUTDOWN_DRAIN_MS, MAX_SHUTDOWN_DRAIN, problems);
            Duration cache = checkCache != null ? checkCache : millis(CHECK_CACHE_MS, MAX_CHECK_CACHE, problems);
            reportUnknownVariables(environment);
            if (!problems.isEmpty()) {
                throw new DockerflowConfigException(problems);
            }
            return new DockerflowConfig(dir, silenced, failedStatus, details, timeout, querystring, header,
                    logger.strip(), errorEndpoint, drain, cache);
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

        private Duration millis(String variable, Duration max, List<String> problems) {
            String value = raw(variable);
            if (value == null) {
                return Duration.ZERO;
            }
            try {
                long millis = Long.parseLong(value.strip());
                if (millis >= 0 && millis <= max.toMillis()) {
                    return Duration.ofMillis(millis);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(bad(variable, value, "a whole number of milliseconds from 0 to " + max.toMillis()
                    + " (one hour)"));
            return Duration.ZERO;
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

    /** Logs, once per process, each {@code DOCKERFLOW_} variable of {@code environment} that is not known. */
    private static void reportUnknownVariables(Map<String, String> environment) {
        Set<String> unknown = new TreeSet<>();
        for (String name : environment.keySet()) {
            if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && !VARIABLES.contains(name)) {
                unknown.add(name);
            }
        }
        for (String name : unknown) {
            if (REPORTED_UNKNOWN.add(name)) {
                CONFIG_LOGGER.log(Logger.Level.WARNING, "Unknown variable " + name
                        + " is ignored; did you mean " + closestVariable(name) + "?");
            }
        }
    }

    /**
     * The known {@code DOCKERFLOW_} variable nearest to {@code name} by {@link #editDistance},
     * letter case ignored; the first in {@link #VARIABLES} order wins a tie.
     */
    static String closestVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : VARIABLES) {
            if (!candidate.startsWith(PREFIX)) {
                continue;
            }
            int distance = editDistance(upper, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /**
     * Edit distance counting single-character insertions and deletions, a wrong character
     * counting as one of each. Misspelled variables mostly lack a word
     * ({@code DOCKERFLOW_DRAIN_MS}); weighing a substitution as two keeps a shorter known
     * name that merely shares letters from winning over the name that contains the words.
     */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 2);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
