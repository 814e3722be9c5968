package dev.dockerflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** dockerflow-core stands on the JDK and Jackson alone. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dockerflow");

    @Test
    void coreDependsOnlyOnTheJdkJacksonAndItself() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "jdk.internal..", "com.fasterxml.jackson..",
                        "dev.dockerflow", "dev.dockerflow.internal..", "dev.dockerflow.logging..")
                .because("dockerflow-core depends on no framework, logging backend or other module")
                .check(CORE);
    }

    @Test
    void internalCodeDoesNotReachBackIntoTheApiFacade() {
        noClasses().that().resideInAPackage("dev.dockerflow.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.dockerflow")
                .check(CORE);
    }

    @Test
    void jacksonStaysAnImplementationDetailOfVersionParsing() {
        noClasses().that().resideInAPackage("dev.dockerflow..")
                .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(VersionInfo.class)))
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
                .check(CORE);
    }
}
