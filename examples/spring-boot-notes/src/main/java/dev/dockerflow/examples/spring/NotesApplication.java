package dev.dockerflow.examples.spring;

import dev.dockerflow.VersionProvider;
import dev.dockerflow.examples.notes.ServiceSettings;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.RedisClient;

/**
 * The notes service on Spring Boot (Spring MVC on Tomcat). Dockerflow comes from the starter
 * alone: the endpoints, request summaries and IDs, the database, migrations and Redis checks
 * built from the beans below, heartbeat metrics in the Prometheus registry, the shutdown drain.
 * Configured by the environment: {@code PORT}, {@code DATABASE_URL}, {@code REDIS_URL},
 * {@code SHUTDOWN_GRACE_MS} and the {@code DOCKERFLOW_*} variables (see
 * {@code application.properties}). On SIGTERM it drains ({@code DOCKERFLOW_SHUTDOWN_DRAIN_MS},
 * 3000 ms unless set), stops accepting, lets requests in flight finish, closes the pool and
 * exits 0.
 */
@SpringBootApplication
public class NotesApplication {

    private static final Logger LOG = LoggerFactory.getLogger(NotesApplication.class);

    /** Created by Spring. */
    public NotesApplication() {
    }

    /**
     * Redis, when {@code REDIS_URL} is set: the count's cache, and the starter's Redis check.
     *
     * @param url {@code REDIS_URL}
     * @return the client, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${REDIS_URL:}'.trim() != ''")
    RedisClient redis(@Value("${REDIS_URL}") String url) {
        return RedisClient.create(URI.create(url.strip()));
    }

    /**
     * {@code version.json} from {@code APP_DIR} (the image's {@code /app}), else the one built
     * into the jar.
     *
     * @param appDir {@code APP_DIR}
     * @return the provider the starter uses
     */
    @Bean
    VersionProvider versionProvider(@Value("${APP_DIR:/app}") String appDir) {
        return VersionProvider.fromAppDir(Path.of(appDir)).orElse(VersionProvider.fromClasspath("version.json"));
    }

    /**
     * Migrations at start-up; when they cannot be applied the service still starts, and the
     * migrations check says what is pending or failed.
     *
     * @return the strategy Boot's Flyway support runs
     */
    @Bean
    FlywayMigrationStrategy migrateOrReport() {
        return flyway -> {
            try {
                flyway.migrate();
            } catch (RuntimeException e) {
                LOG.error("Migrations could not be applied: {}", e.getMessage());
            }
        };
    }

    /**
     * Starts the service.
     *
     * @param args Spring Boot's command-line arguments
     */
    public static void main(String[] args) {
        try {
            // the settings the examples share, checked before anything starts
            ServiceSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        // tag::readme[]
        SpringApplication application = new SpringApplication(NotesApplication.class);
        application.setRegisterShutdownHook(false); // ours stops the context, then exits 0
        ConfigurableApplicationContext context;
        try {
            context = application.run(args);
        } catch (RuntimeException e) {
            exitOnBadSetting(e); // Boot has said why; a bad value ends with status 2
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(() -> {
            LOG.info("Stopping");
            // the starter's drain (/__lbheartbeat__ 503 for DOCKERFLOW_SHUTDOWN_DRAIN_MS), then Tomcat's
            // graceful stop (SHUTDOWN_GRACE_MS), then the beans: Dockerflow's last summaries, Redis, the pool
            context.close();
            LOG.info("Connection pool and clients closed");
            LOG.info("Stopped");
            exitCleanly();
        }));
        // end::readme[]
        LOG.info("Listening on port {}", ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /** A start-up stopped by a bad value (a {@code DOCKERFLOW_*} variable, say): its message on stderr, status 2. */
    private static void exitOnBadSetting(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException) {
            System.err.println(cause.getMessage());
            System.exit(2);
        }
    }

    /**
     * Ends the process with status 0 once everything has stopped. On SIGTERM the JVM would
     * exit with 143 (128 + 15) after its shutdown hooks, which an orchestrator records as a
     * failure; this process's last hook is ours, and it has written every line.
     */
    private static void exitCleanly() {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }
}
