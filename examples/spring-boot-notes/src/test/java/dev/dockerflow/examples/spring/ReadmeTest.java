package dev.dockerflow.examples.spring;

import dev.dockerflow.examples.testing.ReadmeSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void theReadmeQuotesTheSpringBootWiring() throws Exception {
        ReadmeSnippets.assertQuotedInReadme(Path.of("src/main/java/dev/dockerflow/examples/spring/NotesApplication.java"));
    }
}
