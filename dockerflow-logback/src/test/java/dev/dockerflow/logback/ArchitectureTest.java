package dev.dockerflow.logback;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.dockerflow.logback", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule dependsOnlyOnTheJdkLogbackSlf4jAndTheCoreApi = classes()
            .that().resideInAPackage("dev.dockerflow.logback..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "ch.qos.logback..", "org.slf4j..", "dev.dockerflow",
                    "dev.dockerflow.logback..")
            .because("the adapter uses the core's public API only (never dev.dockerflow.internal), Logback and SLF4J");
}
