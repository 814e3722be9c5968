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

    private final ServiceSettings settings;
    private final HikariDataSource dataSource;
    private final Optional<UnifiedJedis> redis;
    private final PrometheusMeterRegistry metrics;
    private final NotesStore notes;
    private final Dockerflow dockerflow;

    private NotesBackend(ServiceSettings settings, DockerflowConfig config, UnaryOperator<Dockerflow.Builder> customizer) {
        this.settings = settings;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.databaseUrl());
        pool.setPoolName("notes");
        pool.setMaximumPoolSize(8);
        pool.setConnectionTimeout(2_000);
        pool.setInitializationFailTimeout(-1); // start even when the database is down: the heartbeat says so
        pool.setMetricRegistry(metrics);
        this.dataSource = new HikariDataSource(pool);
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
        Dockerflow.Builder builder = Dockerflow.builder()
                .config(config)
                .check(DatabaseCheck.NAME, DatabaseCheck.of(dataSource))
                .check(FlywayMigrationsCheck.NAME, FlywayMigrationsCheck.of(flyway))
                .versionProvider(VersionProvider.fromAppDir(config.appDir())
                        .orElse(VersionProvider.fromClasspath("version.json")))
                .listener(HeartbeatMetrics.create(metrics));
        redis.ifPresent(r -> builder.check(RedisCheck.NAME, Duration.ofSeconds(2), RedisCheck.of(r)));
        this.dockerflow = customizer.apply(builder).build();
        // end::readme[]
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
        DockerflowConfig config = DockerflowConfig.builder().environment(env).build();
        return new NotesBackend(settings, config, customizer);
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

    /** Closes Redis, then the pool, then the registry. */
    @Override
    public void close() {
        redis.ifPresent(UnifiedJedis::close);
        dataSource.close();
        metrics.close();
        LOG.log(System.Logger.Level.INFO, "Connection pool and clients closed");
    }
}
