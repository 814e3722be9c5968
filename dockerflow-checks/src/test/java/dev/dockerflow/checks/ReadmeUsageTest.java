package dev.dockerflow.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.checks.flyway.FlywayMigrationsCheck;
import dev.dockerflow.checks.jdbc.DatabaseCheck;
import dev.dockerflow.checks.redis.RedisCheck;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.Services;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** The usage shown in README.md, compiled and run: all three checks behind one heartbeat. */
class ReadmeUsageTest {

    private static Dockerflow dockerflow(HikariDataSource dataSource, Flyway flyway, RedisClient redisClient) {
        // --- README: Usage ---
        DatabaseCheck database = DatabaseCheck.of(dataSource);
        FlywayMigrationsCheck migrations = FlywayMigrationsCheck.of(flyway);
        RedisCheck redis = RedisCheck.of(redisClient);

        return Dockerflow.builder()
                .check(database.name(), database)
                .check(migrations.name(), migrations)
                .check(redis.name(), redis)
                .build();
    }

    @Test
    void threeHealthyBackendsMakeAPassingHeartbeat() {
        Services.assumeRedis();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:readme;DB_CLOSE_DELAY=-1");
        try (HikariDataSource dataSource = new HikariDataSource(config);
             RedisClient redisClient = RedisClient.create(Services.HOST, Services.REDIS_PORT)) {
            Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/ok").load();
            flyway.migrate();

            HeartbeatReport response = dockerflow(dataSource, flyway, redisClient).heartbeat();

            assertThat(response.passed()).isTrue();
            assertThat(new String(response.toJson(true), java.nio.charset.StandardCharsets.UTF_8)).startsWith(
                    "{\"status\":\"ok\",\"checks\":{\"check_database_connected\":\"ok\","
                    + "\"check_migrations_applied\":\"ok\",\"check_redis_connected\":\"ok\"}");
        }
    }

    @Test
    void unreachableRedisFailsTheHeartbeatWithE004() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:readme-down;DB_CLOSE_DELAY=-1");
        try (HikariDataSource dataSource = new HikariDataSource(config);
             RedisClient redisClient = RedisClient.create(Services.HOST, Ports.closed())) {
            Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/ok").load();

            HeartbeatReport response = dockerflow(dataSource, flyway, redisClient).heartbeat();

            assertThat(response.passed()).isFalse();
            assertThat(new String(response.toJson(true), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"checks\":{\"check_database_connected\":\"ok\",\"check_migrations_applied\":\"warning\","
                            + "\"check_redis_connected\":\"error\"}")
                    .contains("\"dockerflow.health.W001\":\"Unapplied migrations found: 1 (create items), 2 (add owner)\"")
                    .contains("\"dockerflow.health.E004\":\"Could not connect to redis: ");
        }
    }
}
