package dev.dockerflow.jaxrs.jersey31;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.jaxrs.JerseyConformanceTest;
import jakarta.ws.rs.core.Feature;
import org.glassfish.jersey.internal.Version;
import org.junit.jupiter.api.Test;

/**
 * The whole conformance kit again, on Jersey 3.1 and JAX-RS 3.1. Unlike Jersey 4.0.x,
 * Jersey 3.1 maps exceptions nothing handles with its own default mapper (so response
 * filters do run for them); the summary must still say the request raised.
 */
class Jersey31ConformanceTest extends JerseyConformanceTest {

    @Test
    void runsOnJersey31AndJaxRs31() {
        assertThat(Version.getVersion()).startsWith("3.1.");
        assertThat(Feature.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("jakarta.ws.rs-api-3.1.0");
    }
}
