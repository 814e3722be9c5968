package dev.dockerflow.examples.helidon;

import dev.dockerflow.examples.testing.ReadmeSnippets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    @Test
    void theReadmeQuotesTheHelidonWiring() throws Exception {
        ReadmeSnippets.assertQuotedInReadme(Path.of("src/main/java/dev/dockerflow/examples/helidon/Main.java"));
        ReadmeSnippets.assertQuotedInReadme(
                Path.of("../notes-support/src/main/java/dev/dockerflow/examples/notes/NotesBackend.java"));
    }
}
