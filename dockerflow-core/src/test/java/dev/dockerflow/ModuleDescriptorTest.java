package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The core is a named module that exports its API packages and nothing else. */
class ModuleDescriptorTest {

    @Test
    void onlyTheApiPackagesAreExported() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo("dev.dockerflow.core");
        assertThat(descriptor.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse())
                .extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrder("dev.dockerflow", "dev.dockerflow.logging");
        assertThat(descriptor.opens()).isEmpty();
    }
}
