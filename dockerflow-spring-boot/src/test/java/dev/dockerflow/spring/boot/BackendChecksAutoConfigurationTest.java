package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.Level;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The auto-configured Liquibase and Lettuce checks with the real beans, against the local
 * PostgreSQL and Redis. A test whose service is unreachable is skipped, or fails when
 * {@code CI=true}.
 */
class BackendChecksAutoConfigurationTest {

    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final String CHANGELOG = "classpath:db/liquibase/changelog.sql";

    private final String schema = "dockerflow_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String historySchema = schema + "_history";

    @AfterEach
    void dropSchemas() throws SQLException {
        if (reachable(5432)) {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "DROP SCHEMA IF EXISTS " + historySchema + " CASCADE");
        }
    }

    /**
     * Liquibase as an application configures it (contexts, its history in a schema and table of
     * its own): once it has run, the check finds every changeset of those contexts applied.
     */
    @Test
    void liquibaseBeanBecomesTheMigrationsCheckWithItsContextsAndHistoryTable() throws Exception {
        assumeReachable("PostgreSQL", 5432);
        sql("CREATE SCHEMA " + schema, "CREATE SCHEMA " + historySchema);
        runner().withPropertyValues("kit.liquibase.history-schema=" + historySchema).run(context -> {
            assertThat(context).hasNotFailed();
            try (Connection connection = DriverManager.getConnection(POSTGRESQL, USER, "");
                    Statement statement = connection.createStatement()) {
                var history = statement.executeQuery("SELECT count(*) FROM " + historySchema + ".app_changelog");
                history.next();
                assertThat(history.getInt(1)).as("changesets Liquibase ran (kit:3 is for the test context only)").isEqualTo(2);
            }
            CheckResult migrations = migrations(context.getBean(Dockerflow.class));
            assertThat(migrations.messages()).as("messages of %s", migrations).isEmpty();
        });
    }

    @Test
    void changesetsLiquibaseHasNotRunAreReportedPending() throws Exception {
        assumeReachable("PostgreSQL", 5432);
        sql("CREATE SCHEMA " + schema);
        runner().withPropertyValues("kit.liquibase.run=false").run(context -> {
            CheckResult migrations = migrations(context.getBean(Dockerflow.class));
            assertThat(migrations.messages()).singleElement().satisfies(m -> {
                assertThat(m.id()).isEqualTo("dockerflow.health.W001");
                assertThat(m.level()).isEqualTo(Level.WARNING);
                assertThat(m.text()).startsWith("Unapplied migrations found: ").contains("::1::kit").contains("::2::kit")
                        .doesNotContain("::3::kit");
            });
        });
    }

    @Test
    void lettuceConnectionBecomesTheRedisCheck() throws Exception {
        assumeReachable("Redis", 6379);
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try {
            StatefulRedisConnection<String, String> connection = client.connect();
            new ApplicationContextRunner().withInitializer(TestEnvironment.empty()).withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                    .withBean(StatefulRedisConnection.class, () -> connection).run(context -> {
                        Dockerflow dockerflow = context.getBean(Dockerflow.class);
                        CheckResult redis = dockerflow.heartbeat().results().stream()
                                .filter(r -> r.name().equals("check_redis_connected")).findFirst().orElseThrow();
                        assertThat(redis.messages()).as("messages of %s", redis).isEmpty();
                        connection.close();
                        List<CheckMessage> closed = dockerflow.heartbeat().results().stream()
                                .filter(r -> r.name().equals("check_redis_connected")).findFirst().orElseThrow().messages();
                        assertThat(closed).as("after the connection closed").isNotEmpty()
                                .allSatisfy(m -> assertThat(m.level()).isEqualTo(Level.ERROR));
                    });
        } finally {
            client.shutdown();
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withInitializer(TestEnvironment.empty())
                .withConfiguration(AutoConfigurationTest.DOCKERFLOW)
                .withConfiguration(AutoConfigurations.of(org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration.class))
                .withUserConfiguration(KitLiquibase.class)
                .withPropertyValues("spring.datasource.url=" + POSTGRESQL + "?currentSchema=" + schema,
                        "spring.datasource.username=" + USER, "dockerflow.checks.database.enabled=false");
    }

    /**
     * The migrations check's result once its first run has read the changelog: until then (on a
     * JVM where Liquibase has not started yet) each heartbeat waits for that run a while and
     * reports it not checked yet.
     */
    private static CheckResult migrations(Dockerflow dockerflow) {
        CheckResult result = null;
        for (int i = 0; i < 20; i++) {
            result = dockerflow.heartbeat().results().stream().filter(r -> r.name().equals("check_migrations_applied"))
                    .findFirst().orElseThrow(() -> new AssertionError("no check_migrations_applied"));
            if (result.messages().stream().noneMatch(m -> m.id().equals("dockerflow.health.I002"))) {
                return result;
            }
        }
        throw new AssertionError("the migrations check never read its changelog: " + result);
    }

    /** The application's Liquibase: contexts {@code prod}, history table {@code app_changelog}. */
    @Configuration(proxyBeanMethods = false)
    static class KitLiquibase {
        @Bean
        SpringLiquibase liquibase(DataSource dataSource, Environment environment) {
            SpringLiquibase liquibase = new SpringLiquibase();
            liquibase.setDataSource(dataSource);
            liquibase.setChangeLog(CHANGELOG);
            liquibase.setContexts("prod");
            liquibase.setDatabaseChangeLogTable("app_changelog");
            liquibase.setDatabaseChangeLogLockTable("app_changelog_lock");
            String history = environment.getProperty("kit.liquibase.history-schema");
            if (history != null) {
                liquibase.setLiquibaseSchema(history);
            }
            liquibase.setShouldRun(environment.getProperty("kit.liquibase.run", Boolean.class, true));
            return liquibase;
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(POSTGRESQL, USER, "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void assumeReachable(String service, int port) {
        if (!reachable(port)) {
            String reason = service + " is not reachable at 127.0.0.1:" + port;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; CI=true, so a missing service fails the build");
            }
            Assumptions.abort(reason + "; set CI=true to make this a failure");
        }
    }
}
