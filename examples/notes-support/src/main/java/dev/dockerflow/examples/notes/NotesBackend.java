package dev.dockerflow.examples.notes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.Secrets;
import dev.dockerflow.VersionProvider;
import dev.dockerflow.checks.flyway.FlywayMigrationsCheck;
import dev.dockerflow.checks.jdbc.DatabaseCheck;
import dev.dockerflow.checks.redis.RedisCheck;
import dev.dockerflow.micrometer.HeartbeatMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Everything behind an example service's HTTP layer: the connection pool, migrations
 * applied at start-up, Redis when configured, the notes, the Prometheus registry, and
 * the service's {@link Dockerflow} with the database, migrations and (with Redis) Redis
 * checks registered. {@link #close()} releases it all. Thread-safe.
 */
public final class NotesBackend implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NotesBackend.class.getName());

    /**
     * The examples' shutdown drain when {@code DOCKERFLOW_SHUTDOWN_DRAIN_MS} is unset: long
     * enough for a load balancer probing {@code /__lbheartbeat__} every second to see two
     * failures before the server stops listening.
     */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN = Duration.ofSeconds(3);

    private final ServiceSettings settings;
    private final HikariDataSource dataSource;
    private final Optional<UnifiedJedis> redis;
    private final PrometheusMeterRegistry metrics;
    private final NotesStore notes;
    private final Dockerflow dockerflow;

    private NotesBackend(ServiceSettings settings, DockerflowConfig config, UnaryOperator<Dockerflow.Builder> customizer) {
        this.settings = settings;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.dataSource = new HikariDataSource(poolConfig(settings.databaseUrl(), metrics));
        Flyway flyway = Flyway.configure().dataSource(dataSource).load();
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            // the migrations check reports what is pending or failed; the service still starts
            LOG.log(System.Logger.Level.ERROR, "Migrations could not be applied: " + Secrets.redact(e.getMessage()));
        }
        this.redis = settings.redisUrl().map(RedisClient::create);
        this.notes = new NotesStore(dataSource, redis.map(UnifiedJedis.class::cast), settings.databaseUrl());

        // tag::readme[]
        // Every check runs with the configured timeout (DOCKERFLOW_CHECK_TIMEOUT_MS); the database
        // check gives the database two thirds of it (at least one second), so that one that does
        // not answer is reported as E001 before the heartbeat gives up on the check.
        Dockerflow.Builder builder = Dockerflow.builder()
                .config(config)
                .check(DatabaseCheck.NAME, DatabaseCheck.of(dataSource)
                        .withValidationTimeout(config.checkTimeout().multipliedBy(2).dividedBy(3)))
                .check(FlywayMigrationsCheck.NAME, FlywayMigrationsCheck.of(flyway))
                .versionProvider(VersionProvider.fromAppDir(config.appDir())
                        .orElse(VersionProvider.fromClasspath("version.json")))
                .listener(HeartbeatMetrics.create(metrics));
        redis.ifPresent(r -> builder.check(RedisCheck.NAME, RedisCheck.of(r)));
        this.dockerflow = customizer.apply(builder).build();
        // end::readme[]
    }

    /**
     * The pool: every wait bounded, so that connections whose traffic was lost are dropped
     * and the pool is whole again within seconds of the network coming back.
     */
    static HikariConfig poolConfig(String databaseUrl, PrometheusMeterRegistry metrics) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(databaseUrl);
        pool.setPoolName("notes");
        pool.setMaximumPoolSize(8);
        pool.setConnectionTimeout(2_000);   // a request waits at most 2 s for a connection
        pool.setValidationTimeout(1_000);   // an idle connection that does not answer in 1 s is dropped
        pool.setKeepaliveTime(30_000);      // idle connections are tried every 30 s, not only when borrowed
        pool.setInitializationFailTimeout(-1); // start even when the database is down: the heartbeat says so
        pool.setMetricRegistry(metrics);
        if (databaseUrl.startsWith("jdbc:postgresql:")) {
            // Driver defaults, which a parameter in DATABASE_URL overrides. Without a socket
            // timeout a connection whose packets were swallowed waits for its reply for ever,
            // and the pool never gets it back. The notes' queries take milliseconds: a service
            // with slower queries sets socketTimeout above its slowest one.
            pool.addDataSourceProperty("connectTimeout", "2"); // seconds to open the TCP connection
            pool.addDataSourceProperty("loginTimeout", "3");   // seconds for the whole log-in
            pool.addDataSourceProperty("socketTimeout", "5");  // seconds to wait for any reply
            pool.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return pool;
    }

    /**
     * Starts the backend from the environment.
     *
     * @param env the environment ({@code System.getenv()})
     * @param customizer adds what the HTTP layer needs to the Dockerflow (a summary sink, say)
     * @return the backend
     * @throws IllegalArgumentException if a variable holds a bad value
     */
    public static NotesBackend start(Map<String, String> env, UnaryOperator<Dockerflow.Builder> customizer) {
        // settings first: a bad value stops start-up before anything is opened
        ServiceSettings settings = ServiceSettings.fromEnvironment(env);
        DockerflowConfig.Builder config = DockerflowConfig.builder().environment(env);
        String drain = env.get(DockerflowConfig.SHUTDOWN_DRAIN_MS);
        if (drain == null || drain.isBlank()) {
            // the drain is on by default here; the variable, when set, decides (0 turns it off)
            config.shutdownDrain(DEFAULT_SHUTDOWN_DRAIN);
        }
        return new NotesBackend(settings, config.build(), customizer);
    }

    /**
     * The settings the service runs with.
     *
     * @return the settings
     */
    public ServiceSettings settings() {
        return settings;
    }

    /**
     * The notes.
     *
     * @return the store
     */
    public NotesStore notes() {
        return notes;
    }

    /**
     * The service's Dockerflow.
     *
     * @return the Dockerflow
     */
    public Dockerflow dockerflow() {
        return dockerflow;
    }

    /**
     * The metrics, for the {@code /metrics} scrape.
     *
     * @return the Prometheus registry
     */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * The folder of {@code version.json}, for logging.
     *
     * @return {@code APP_DIR}
     */
    public Path appDir() {
        return dockerflow.config().appDir();
    }

    /**
     * Closes the Dockerflow (summaries of requests the server cut off, the last lines), then
     * Redis, then the pool, then the registry. Call it once the server has stopped.
     */
    @Override
    public void close() {
        dockerflow.close();
        redis.ifPresent(UnifiedJedis::close);
        dataSource.close();
        metrics.close();
        LOG.log(System.Logger.Level.INFO, "Connection pool and clients closed");
    }
}
