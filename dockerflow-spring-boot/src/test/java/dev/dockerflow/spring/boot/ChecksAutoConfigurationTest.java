package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.micrometer.HeartbeatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Built-in checks from the application's beans, heartbeat metrics and the Actuator bridge, with their conditions. */
class ChecksAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withInitializer(TestEnvironment.empty())
            .withConfiguration(AutoConfigurationTest.DOCKERFLOW)
            .withConfiguration(AutoConfigurations.of(org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class,
                    org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:checks;DB_CLOSE_DELAY=-1", "spring.flyway.locations=classpath:db/migration");

    private static List<String> names(HeartbeatReport report) {
        return report.results().stream().map(CheckResult::name).toList();
    }

    @Test
    void theDataSourceAndFlywayBecomeTheDatabaseAndMigrationsChecks() {
        runner.run(context -> {
            HeartbeatReport report = context.getBean(Dockerflow.class).heartbeat();
            assertThat(names(report)).contains("check_database_connected", "check_migrations_applied");
            assertThat(report.results()).allSatisfy(r -> assertThat(r.messages()).isEmpty());
        });
    }

    @Test
    void eachBuiltInCheckCanBeSwitchedOff() {
        runner.withPropertyValues("dockerflow.checks.database.enabled=false", "dockerflow.checks.migrations.enabled=false")
                .run(context -> assertThat(names(context.getBean(Dockerflow.class).heartbeat()))
                        .doesNotContain("check_database_connected", "check_migrations_applied"));
    }

    @Test
    void withoutFlywayThereIsNoMigrationsCheck() {
        runner.withClassLoader(new FilteredClassLoader(Flyway.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(names(context.getBean(Dockerflow.class).heartbeat()))
                    .contains("check_database_connected").doesNotContain("check_migrations_applied");
        });
    }

    @Test
    void anApplicationBeanWithTheCheckNameReplacesTheBuiltInOne() {
        runner.withBean("check_database_connected", dev.dockerflow.Check.class,
                () -> () -> List.of(CheckMessage.info("acme.db.I001", "own"))).run(context -> {
                    CheckResult database = context.getBean(Dockerflow.class).heartbeat().results().stream()
                            .filter(r -> r.name().equals("check_database_connected")).findFirst().orElseThrow();
                    assertThat(database.messages()).extracting(CheckMessage::id).containsExactly("acme.db.I001");
                });
    }

    @Test
    void aJedisClientBecomesTheRedisCheckAndReportsAnUnreachableRedis() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int port = closedPort;
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withBean(UnifiedJedis.class, () -> RedisClient.create("127.0.0.1", port)).run(context -> {
                    CheckResult redis = context.getBean(Dockerflow.class).heartbeat().results().get(0);
                    assertThat(redis.name()).isEqualTo("check_redis_connected");
                    assertThat(redis.messages()).extracting(CheckMessage::id).containsExactly("dockerflow.health.E004");
                });
    }

    @Test
    void withoutJedisOnTheClassPathThereIsNoJedisCheck() {
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withClassLoader(new FilteredClassLoader(UnifiedJedis.class))
                .run(context -> assertThat(context.getBean(Dockerflow.class).heartbeat().results()).isEmpty());
    }

    @Test
    void springDataRedisConnectionFactoryBecomesTheRedisCheck() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withConfiguration(AutoConfigurations.of(org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + closedPort,
                        "spring.data.redis.timeout=1s", "spring.data.redis.connect-timeout=1s")
                .run(context -> {
                    CheckResult redis = context.getBean(Dockerflow.class).heartbeat().results().stream()
                            .filter(r -> r.name().equals("check_redis_connected")).findFirst().orElseThrow();
                    assertThat(redis.messages()).extracting(CheckMessage::id).containsExactly("dockerflow.health.E004");
                    assertThat(redis.messages().get(0).text()).startsWith("Could not connect to redis: ");
                });
    }

    @Test
    void heartbeatMetricsGoToTheApplicationsMeterRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withBean(MeterRegistry.class, () -> registry).run(context -> {
                    assertThat(context).hasSingleBean(HeartbeatMetrics.class);
                    context.getBean(Dockerflow.class).heartbeat();
                    assertThat(registry.find(HeartbeatMetrics.RUNS).counters()).isNotEmpty()
                            .allSatisfy(c -> assertThat(c.count()).isLessThanOrEqualTo(1.0));
                    assertThat(registry.find(HeartbeatMetrics.RUNS).counters().stream().mapToDouble(c -> c.count()).sum()).isEqualTo(1.0);
                });
    }

    @Test
    void withoutMicrometerOrARegistryThereAreNoMetrics() {
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .run(context -> assertThat(context).doesNotHaveBean(HeartbeatMetrics.class));
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HeartbeatMetrics.class));
    }

    private final ApplicationContextRunner health = new ApplicationContextRunner().withInitializer(TestEnvironment.empty())
            .withConfiguration(AutoConfigurationTest.DOCKERFLOW)
            .withBean("paymentsHealthIndicator", HealthIndicator.class, () -> () -> Health.down().withDetail("error", "gateway refused").build())
            .withBean("queueHealthIndicator", HealthIndicator.class, () -> () -> Health.unknown().build())
            .withBean("diskSpaceHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build());

    @Test
    void healthIndicatorsBecomeChecksOnlyWhenAskedFor() {
        health.run(context -> assertThat(context.getBean(Dockerflow.class).heartbeat().results()).isEmpty());
        health.withPropertyValues("dockerflow.actuator-health.enabled=true").run(context -> {
            HeartbeatReport report = context.getBean(Dockerflow.class).heartbeat();
            assertThat(names(report)).containsExactly("payments", "queue", "diskSpace");
            assertThat(report.results().get(0).messages()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo("dockerflow.health.E020");
                assertThat(m.level()).isEqualTo(dev.dockerflow.Level.ERROR);
                assertThat(m.text()).isEqualTo("Health indicator payments is DOWN: gateway refused");
            });
            assertThat(report.results().get(1).messages()).extracting(CheckMessage::id).containsExactly("dockerflow.health.W006");
            assertThat(report.results().get(2).messages()).isEmpty();
        });
    }

    @Test
    void healthLevelsAndExclusionsAreConfigurable() {
        health.withPropertyValues("dockerflow.actuator-health.enabled=true", "dockerflow.actuator-health.levels.DOWN=warning",
                "dockerflow.actuator-health.exclude=queue").run(context -> {
                    HeartbeatReport report = context.getBean(Dockerflow.class).heartbeat();
                    assertThat(names(report)).containsExactly("payments", "diskSpace");
                    assertThat(report.results().get(0).messages()).extracting(CheckMessage::level).containsExactly(dev.dockerflow.Level.WARNING);
                });
    }

    @Test
    void withoutActuatorThereIsNoHealthBridge() {
        new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .withPropertyValues("dockerflow.actuator-health.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("dockerflowActuatorHealthChecks"));
    }
}
