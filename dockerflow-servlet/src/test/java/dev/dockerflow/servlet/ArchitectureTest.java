package dev.dockerflow.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The adapter's dependency rules, so a wrong import fails the build. */
class ArchitectureTest {

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dockerflow.servlet");

    @Test
    void adapterDependsOnTheJdkTheServletApiAndTheCoreApiOnly() {
        classes().that().resideInAPackage("dev.dockerflow.servlet")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "jakarta.servlet..", "dev.dockerflow", "dev.dockerflow.servlet")
                .check(ADAPTER);
    }

    @Test
    void adapterNeverUsesCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.dockerflow.internal..").check(ADAPTER);
    }

    @Test
    void filterIsTheOnlyPublicType() {
        classes().that().resideInAPackage("dev.dockerflow.servlet").and().arePublic()
                .should().haveSimpleName("DockerflowFilter")
                .check(ADAPTER);
    }
}
