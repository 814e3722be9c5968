package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The feature registered the usual JAX-RS way, by class, stops start-up saying what to register. */
class RegistrationTest {

    @Test
    void registeringTheFeatureByClassStopsStartUpNamingTheFactory() {
        ResourceConfig application = new ResourceConfig().register(DockerflowFeature.class);
        assertThatThrownBy(() -> GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application)
                .shutdownNow())
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(causes(e))
                        .contains("register the instance DockerflowFeature.create(dockerflow)"));
    }

    private static String causes(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
