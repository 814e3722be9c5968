package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Keeps the README's code equal to the compiled code it quotes. */
public final class ReadmeSnippets {

    private static final String START = "// tag::readme[]";
    private static final String END = "// end::readme[]";

    private ReadmeSnippets() {
    }

    /**
     * Asserts that the repository README holds, as written, the lines between
     * {@code // tag::readme[]} and {@code // end::readme[]} in a source file (their
     * common indentation removed).
     *
     * @param source the source file, relative to the module
     * @throws IOException if a file cannot be read
     */
    public static void assertQuotedInReadme(Path source) throws IOException {
        String text = Files.readString(source);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("no %s in %s", START, source).isNotNegative();
        String region = text.substring(text.indexOf('\n', start) + 1, text.lastIndexOf('\n', end) + 1);
        int indent = region.lines().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        String snippet = region.lines().map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
        Path readme = Path.of("../../README.md");
        assertThat(Files.readString(readme)).as("README quotes %s", source).contains(snippet);
    }
}
