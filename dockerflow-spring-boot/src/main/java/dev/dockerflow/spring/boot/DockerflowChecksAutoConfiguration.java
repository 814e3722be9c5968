package dev.dockerflow.spring.boot;

import dev.dockerflow.Check;
import dev.dockerflow.checks.flyway.FlywayMigrationsCheck;
import dev.dockerflow.checks.jdbc.DatabaseCheck;
import dev.dockerflow.checks.lettuce.LettuceRedisCheck;
import dev.dockerflow.checks.liquibase.LiquibaseMigrationsCheck;
import dev.dockerflow.checks.redis.RedisCheck;
import io.lettuce.core.api.StatefulRedisConnection;
import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The built-in checks, made from the beans the application has, each a {@link Check} bean
 * named as python-dockerflow names it, so {@link DockerflowAutoConfiguration} registers it
 * like any other check bean:
 * <ul>
 *   <li>{@value DatabaseCheck#NAME}: the single {@code DataSource}
 *       ({@code dockerflow.checks.database.enabled});</li>
 *   <li>{@value FlywayMigrationsCheck#NAME}: the single {@code Flyway}, else the single
 *       {@code SpringLiquibase} ({@code dockerflow.checks.migrations.enabled});</li>
 *   <li>{@value RedisCheck#NAME}: the single Spring Data Redis {@code RedisConnectionFactory},
 *       else a Jedis {@code UnifiedJedis} ({@code JedisPooled}, {@code RedisClient}), else a Lettuce
 *       {@code StatefulRedisConnection} ({@code dockerflow.checks.redis.enabled}).</li>
 * </ul>
 * A bean of the application with the check's name replaces the built-in one.
 */
@AutoConfiguration(before = DockerflowAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"})
@ConditionalOnBooleanProperty(name = DockerflowProperties.PREFIX + ".enabled", matchIfMissing = true)
public final class DockerflowChecksAutoConfiguration {

    private static final String CHECKS = DockerflowProperties.PREFIX + ".checks.";

    DockerflowChecksAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DataSource.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "database.enabled", matchIfMissing = true)
    static class Database {

        @Bean(DatabaseCheck.NAME)
        @ConditionalOnMissingBean(name = DatabaseCheck.NAME)
        Check databaseCheck(DataSource dataSource) {
            return DatabaseCheck.of(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnSingleCandidate(Flyway.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "migrations.enabled", matchIfMissing = true)
    static class FlywayMigrations {

        @Bean(FlywayMigrationsCheck.NAME)
        @ConditionalOnMissingBean(name = FlywayMigrationsCheck.NAME)
        Check flywayMigrationsCheck(Flyway flyway) {
            return FlywayMigrationsCheck.of(flyway);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SpringLiquibase.class)
    @ConditionalOnSingleCandidate(SpringLiquibase.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "migrations.enabled", matchIfMissing = true)
    static class LiquibaseMigrations {

        @Bean(LiquibaseMigrationsCheck.NAME)
        @ConditionalOnMissingBean(name = LiquibaseMigrationsCheck.NAME)
        Check liquibaseMigrationsCheck(SpringLiquibase liquibase) {
            return liquibaseCheck(liquibase);
        }

        /**
         * The check of what this Liquibase runs: its changelog (a Spring {@code classpath:}
         * location, as Boot's {@code spring.liquibase.change-log} is, read as the class path
         * resource it names), contexts and labels, and its history table where Liquibase keeps it
         * (its Liquibase schema, else its default schema, else the connection's own).
         */
        static LiquibaseMigrationsCheck liquibaseCheck(SpringLiquibase liquibase) {
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(liquibase.getDataSource(), liquibase.getChangeLog());
            if (hasText(liquibase.getContexts())) {
                check = check.withContexts(liquibase.getContexts());
            }
            if (hasText(liquibase.getLabelFilter())) {
                check = check.withLabels(liquibase.getLabelFilter());
            }
            if (hasText(liquibase.getDatabaseChangeLogTable())) {
                check = check.withHistoryTable(liquibase.getDatabaseChangeLogTable());
            }
            String schema = hasText(liquibase.getLiquibaseSchema()) ? liquibase.getLiquibaseSchema() : liquibase.getDefaultSchema();
            return hasText(schema) ? check.withHistorySchema(schema) : check;
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    @ConditionalOnSingleCandidate(RedisConnectionFactory.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "redis.enabled", matchIfMissing = true)
    static class SpringDataRedis {

        @Bean(RedisCheck.NAME)
        @ConditionalOnMissingBean(name = RedisCheck.NAME)
        Check springDataRedisCheck(RedisConnectionFactory connectionFactory) {
            return new RedisConnectionFactoryCheck(connectionFactory);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(UnifiedJedis.class)
    @ConditionalOnSingleCandidate(UnifiedJedis.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "redis.enabled", matchIfMissing = true)
    static class Jedis {

        @Bean(RedisCheck.NAME)
        @ConditionalOnMissingBean(name = RedisCheck.NAME)
        Check jedisCheck(UnifiedJedis jedis) {
            return RedisCheck.of(jedis);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(StatefulRedisConnection.class)
    @ConditionalOnSingleCandidate(StatefulRedisConnection.class)
    @ConditionalOnBooleanProperty(name = CHECKS + "redis.enabled", matchIfMissing = true)
    static class Lettuce {

        @Bean(RedisCheck.NAME)
        @ConditionalOnMissingBean(name = RedisCheck.NAME)
        Check lettuceCheck(StatefulRedisConnection<?, ?> connection) {
            return LettuceRedisCheck.of(connection);
        }
    }
}
