package dev.dockerflow.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.dockerflow.checks.disk.DiskSpaceCheck;
import dev.dockerflow.checks.flyway.FlywayMigrationsCheck;
import dev.dockerflow.checks.jdbc.DatabaseCheck;
import dev.dockerflow.checks.lettuce.LettuceRedisCheck;
import dev.dockerflow.checks.liquibase.LiquibaseMigrationsCheck;
import dev.dockerflow.checks.redis.RedisCheck;
import dev.dockerflow.checks.upstream.UpstreamServiceCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of dockerflow-checks: the JDK, the core's public API, and for each
 * backend package its own client library and nothing else.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.dockerflow.checks");
    }

    @Test
    void theImportHoldsEveryCheck() {
        // Guards the rules below against passing on an import that missed the classes.
        assertThat(classes.contain(DatabaseCheck.class)).isTrue();
        assertThat(classes.contain(FlywayMigrationsCheck.class)).isTrue();
        assertThat(classes.contain(RedisCheck.class)).isTrue();
        assertThat(classes.contain(LettuceRedisCheck.class)).isTrue();
        assertThat(classes.contain(LiquibaseMigrationsCheck.class)).isTrue();
        assertThat(classes.contain(UpstreamServiceCheck.class)).isTrue();
        assertThat(classes.contain(DiskSpaceCheck.class)).isTrue();
    }

    @Test
    void checksUseOnlyTheCorePublicApi() {
        noClasses().that().resideInAPackage("dev.dockerflow.checks..")
                .should().dependOnClassesThat().resideInAPackage("dev.dockerflow.internal..")
                .because("the core's internal package is not part of its API")
                .check(classes);
    }

    @Test
    void jdbcPackageDependsOnTheJdkTheCoreAndHikariOnly() {
        classes().that().resideInAPackage("dev.dockerflow.checks.jdbc..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "javax.sql..", "dev.dockerflow", "dev.dockerflow.checks.jdbc..", "com.zaxxer.hikari..")
                .check(classes);
    }

    @Test
    void flywayPackageDependsOnTheJdkTheCoreAndFlywayOnly() {
        classes().that().resideInAPackage("dev.dockerflow.checks.flyway..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "javax.sql..", "dev.dockerflow", "dev.dockerflow.checks.flyway..", "org.flywaydb..")
                .check(classes);
    }

    @Test
    void redisPackageDependsOnTheJdkTheCoreAndJedisOnly() {
        classes().that().resideInAPackage("dev.dockerflow.checks.redis..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "dev.dockerflow", "dev.dockerflow.checks.redis..", "redis.clients..")
                .check(classes);
    }

    @Test
    void lettucePackageDependsOnTheJdkTheCoreAndLettuceOnly() {
        classes().that().resideInAPackage("dev.dockerflow.checks.lettuce..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "dev.dockerflow", "dev.dockerflow.checks.lettuce..", "io.lettuce..")
                .check(classes);
    }

    @Test
    void liquibasePackageDependsOnTheJdkTheCoreAndLiquibaseOnly() {
        classes().that().resideInAPackage("dev.dockerflow.checks.liquibase..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "javax.sql..", "dev.dockerflow", "dev.dockerflow.checks.liquibase..", "liquibase..")
                .check(classes);
    }

    @Test
    void upstreamAndDiskPackagesDependOnTheJdkAndTheCoreOnly() {
        classes().that().resideInAnyPackage("dev.dockerflow.checks.upstream..", "dev.dockerflow.checks.disk..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "dev.dockerflow", "dev.dockerflow.checks.upstream..", "dev.dockerflow.checks.disk..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.dockerflow.checks.upstream..")
                .should().dependOnClassesThat().resideInAPackage("dev.dockerflow.checks.disk..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.dockerflow.checks.disk..")
                .should().dependOnClassesThat().resideInAPackage("dev.dockerflow.checks.upstream..")
                .check(classes);
    }

    @Test
    void everyClassLivesInABackendPackage() {
        classes().that().resideInAPackage("dev.dockerflow.checks..")
                .should().resideInAnyPackage("dev.dockerflow.checks.jdbc..", "dev.dockerflow.checks.flyway..",
                        "dev.dockerflow.checks.redis..", "dev.dockerflow.checks.lettuce..", "dev.dockerflow.checks.liquibase..",
                        "dev.dockerflow.checks.upstream..", "dev.dockerflow.checks.disk..")
                .check(classes);
    }
}
