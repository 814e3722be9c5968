package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.examples.testing.ReadmeSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void theReadmeQuotesTheJaxrsWiring() throws Exception {
        ReadmeSnippets.assertQuotedInReadme(Path.of("src/main/java/dev/dockerflow/examples/jaxrs/Main.java"));
    }
}
