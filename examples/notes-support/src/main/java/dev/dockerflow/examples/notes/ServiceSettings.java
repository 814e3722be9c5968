package dev.dockerflow.examples.notes;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The example services' own settings (Dockerflow's are read by {@code DockerflowConfig}):
 * {@code PORT} (default 8000), {@code DATABASE_URL} (a JDBC URL; default an embedded H2
 * database), {@code REDIS_URL} ({@code redis://host:port[/db]}; unset means no Redis) and
 * {@code SHUTDOWN_GRACE_MS} (default 10000: how long, once the shutdown drain is over and the
 * server has stopped accepting, the requests in flight may take to finish before the server
 * cuts them off).
 *
 * @param port the HTTP port
 * @param databaseUrl the JDBC URL
 * @param redisUrl the Redis URL, when Redis is used
 * @param shutdownGrace how long requests in flight may take to finish when the server stops
 */
public record ServiceSettings(int port, String databaseUrl, Optional<URI> redisUrl, Duration shutdownGrace) {

    /** The embedded database used when {@code DATABASE_URL} is unset. */
    public static final String DEFAULT_DATABASE_URL = "jdbc:h2:mem:notes;DB_CLOSE_DELAY=-1";

    /** The server's grace period when {@code SHUTDOWN_GRACE_MS} is unset. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /** The longest grace period accepted: ten minutes. */
    private static final long MAX_SHUTDOWN_GRACE_MS = Duration.ofMinutes(10).toMillis();

    /**
     * Reads the settings; a bad value stops start-up with a message naming it.
     *
     * @param env the environment
     * @return the settings
     * @throws IllegalArgumentException naming every variable whose value is not valid
     */
    public static ServiceSettings fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        int port = 8000;
        String rawPort = value(env, "PORT");
        if (rawPort != null) {
            try {
                port = Integer.parseInt(rawPort.strip());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                problems.add("PORT=\"" + rawPort + "\" is not valid: expected a port number from 0 to 65535");
            }
        }
        String databaseUrl = value(env, "DATABASE_URL");
        if (databaseUrl == null) {
            databaseUrl = DEFAULT_DATABASE_URL;
        } else if (!databaseUrl.startsWith("jdbc:")) {
            problems.add("DATABASE_URL is not valid: expected a JDBC URL starting with jdbc:");
        }
        Optional<URI> redis = Optional.empty();
        String rawRedis = value(env, "REDIS_URL");
        if (rawRedis != null) {
            try {
                URI uri = new URI(rawRedis.strip());
                if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(rawRedis, "expected redis://host:port[/db]");
                }
                redis = Optional.of(uri);
            } catch (URISyntaxException e) {
                problems.add("REDIS_URL is not valid: expected redis://host:port[/db]");
            }
        }
        Duration grace = DEFAULT_SHUTDOWN_GRACE;
        String rawGrace = value(env, "SHUTDOWN_GRACE_MS");
        if (rawGrace != null) {
            long millis;
            try {
                millis = Long.parseLong(rawGrace.strip());
            } catch (NumberFormatException e) {
                millis = -1;
            }
            if (millis < 0 || millis > MAX_SHUTDOWN_GRACE_MS) {
                problems.add("SHUTDOWN_GRACE_MS=\"" + rawGrace + "\" is not valid: expected a whole number of milliseconds from 0 to "
                        + MAX_SHUTDOWN_GRACE_MS);
            } else {
                grace = Duration.ofMillis(millis);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid service configuration: " + String.join("; ", problems));
        }
        return new ServiceSettings(port, databaseUrl, redis, grace);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
