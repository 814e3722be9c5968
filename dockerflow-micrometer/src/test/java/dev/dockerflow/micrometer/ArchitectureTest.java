package dev.dockerflow.micrometer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.dockerflow.micrometer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule dependsOnlyOnTheJdkMicrometerAndTheCoreApi = classes()
            .that().resideInAPackage("dev.dockerflow.micrometer..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.micrometer..", "dev.dockerflow", "dev.dockerflow.micrometer..")
            .because("the adapter uses the core's public API only (never dev.dockerflow.internal) and Micrometer");
}
