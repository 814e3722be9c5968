package dev.dockerflow.jaxrs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The adapter's dependency rules, so a wrong import fails the build. */
class ArchitectureTest {

    /** The classes loaded only when the runtime is Jersey. */
    private static final String JERSEY_CLASSES = ".*\\.Jersey(RequestEvents|SuspendingFilter|UnhandledErrors)(\\$.*)?";

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dockerflow.jaxrs");

    @Test
    void adapterDependsOnTheJdkJaxRsAndTheCoreApiOnly() {
        classes().that().resideInAPackage("dev.dockerflow.jaxrs")
                .and().haveNameNotMatching(JERSEY_CLASSES)
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "jakarta.ws.rs..", "jakarta.annotation", "dev.dockerflow", "dev.dockerflow.jaxrs")
                .check(ADAPTER);
    }

    @Test
    void jerseyIsTouchedByItsOwnClassesOnly() {
        classes().that().resideInAPackage("dev.dockerflow.jaxrs")
                .and().haveNameMatching(JERSEY_CLASSES)
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "jakarta.ws.rs..", "jakarta.annotation", "jakarta.inject", "dev.dockerflow",
                        "dev.dockerflow.jaxrs", "org.glassfish.jersey.server", "org.glassfish.jersey.server.monitoring", "org.glassfish.jersey.server.spi")
                .check(ADAPTER);
    }

    @Test
    void adapterNeverUsesCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.dockerflow.internal..").check(ADAPTER);
    }

    @Test
    void featureIsTheOnlyPublicType() {
        classes().that().resideInAPackage("dev.dockerflow.jaxrs").and().arePublic()
                .should().haveSimpleName("DockerflowFeature")
                .check(ADAPTER);
    }
}
