package dev.dockerflow.helidon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final JavaClasses ADAPTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.dockerflow.helidon");

    @Test
    void theAdapterUsesTheCoreApiAndHelidonOnly() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.helidon..", "dev.dockerflow", "dev.dockerflow.helidon")
                .because("adapters use the core's API, never its internals or another adapter")
                .check(ADAPTER);
    }

    @Test
    void onlyTheFeatureIsPublic() {
        classes().that().arePublic().and().areTopLevelClasses()
                .should().haveSimpleName("DockerflowFeature")
                .check(ADAPTER);
    }
}
