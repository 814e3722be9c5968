package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in every Markdown file of the repository points at a file or
 * folder that exists, and a link with an anchor into a Markdown file names one of its
 * headings (GitHub's heading ids). Links to other sites are not followed. A file named
 * in code (`` `docs/contract.md` ``, `` `src/main/resources/logback.xml` ``) must exist
 * too, beside the page or from the repository root.
 *
 * <p>It lives here, in a module that is never published and whose job is to keep the
 * examples and the README honest, so it runs in every {@code ./mvnw verify} without
 * adding a test about the repository's documents to a library module.
 */
class MarkdownLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at a space or ')'. */
    private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [label]: target} reference definitions. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\s]+)`");
    /** A Markdown page, or a path to a source or build file. */
    private static final Pattern FILE_NAME = Pattern.compile(
            "[A-Za-z0-9_.-]+\\.md|[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+\\.(?:java|xml|properties|sql|sh|json|md)");

    @Test
    void everyRelativeLinkInTheRepositoryResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> files = markdownFiles(root);
        assertThat(files).as("Markdown files under %s", root)
                .contains(root.resolve("README.md"), root.resolve("docs/contract.md"));

        List<String> broken = new ArrayList<>();
        int checked = 0;
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path file : files) {
            for (Link link : links(Files.readString(file))) {
                checked++;
                String problem = problem(file, link.target(), anchors);
                if (problem != null) {
                    broken.add(root.relativize(file) + ":" + link.line() + ": " + link.target() + " -> " + problem);
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void everyFileNamedInCodeExists() throws IOException {
        Path root = repositoryRoot();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path file : markdownFiles(root)) {
            for (Link name : fileNames(Files.readString(file))) {
                checked++;
                String target = name.target();
                if (!Files.exists(file.getParent().resolve(target)) && !Files.exists(root.resolve(target))) {
                    missing.add(root.relativize(file) + ":" + name.line() + ": " + target);
                }
            }
        }
        assertThat(checked).as("file names found in code").isGreaterThan(5);
        assertThat(missing).as("files named in code that are not in the repository").isEmpty();
    }

    @Test
    void aMissingFileAMissingAnchorAndALinkInCodeAreToldApart() throws IOException {
        Path dir = Files.createTempDirectory("links");
        try {
            Files.writeString(dir.resolve("other.md"), "# Other page\n\n## Add it to your build\n");
            String text = """
                    # Title: with `code` & more

                    [ok](other.md#add-it-to-your-build) [self](#title-with-code--more) ![img](other.md)
                    [gone](missing.md) [bad anchor](other.md#nowhere) [site](https://example.org/x)
                    [ref]: other.md#other-page

                    ```
                    [in a fence](not-checked.md)
                    ```
                    and `[in code](not-checked-either.md)` too
                    """;
            Path file = dir.resolve("page.md");
            Files.writeString(file, text);
            Map<Path, Set<String>> anchors = new HashMap<>();
            List<String> found = new ArrayList<>();
            for (Link link : links(text)) {
                found.add(link.target() + " " + problem(file, link.target(), anchors));
            }
            assertThat(found).containsExactly(
                    "other.md#add-it-to-your-build null",
                    "#title-with-code--more null",
                    "other.md null",
                    "missing.md no such file",
                    "other.md#nowhere no heading with id 'nowhere'",
                    "other.md#other-page null");
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void headingIdsFollowGitHub() {
        assertThat(anchorsOf("""
                # Compatibility with python-dockerflow
                ## Add it to your build
                ## `dockerflow-logback`: the encoder
                ## Log lines of the library
                ## Log lines of the library
                """)).containsExactly("compatibility-with-python-dockerflow", "add-it-to-your-build",
                "dockerflow-logback-the-encoder", "log-lines-of-the-library", "log-lines-of-the-library-1");
    }

    private static Path repositoryRoot() {
        // tests run in the module folder, examples/example-testing
        Path root = Path.of("../..").toAbsolutePath().normalize();
        assertThat(root.resolve("mvnw")).as("repository root %s", root).exists();
        return root;
    }

    private static List<Path> markdownFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        }
    }

    private record Link(int line, String target) {
    }

    /** The links of a Markdown text that are not in code, and not to other sites. */
    private static List<Link> links(String text) {
        List<Link> links = new ArrayList<>();
        boolean inFence = false;
        String fence = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String stripped = line.strip();
            if (inFence) {
                if (stripped.startsWith(fence)) {
                    inFence = false;
                }
                continue;
            }
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = true;
                fence = stripped.substring(0, 3);
                continue;
            }
            String prose = line.replaceAll("`[^`]*`", "");
            Matcher inline = INLINE.matcher(prose);
            while (inline.find()) {
                add(links, number, inline.group(1));
            }
            Matcher reference = REFERENCE.matcher(prose);
            if (reference.matches()) {
                add(links, number, reference.group(1));
            }
        }
        return links;
    }

    /** File names written as inline code outside code blocks. */
    private static List<Link> fileNames(String text) {
        List<Link> names = new ArrayList<>();
        boolean inFence = false;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher code = CODE_SPAN.matcher(line);
            while (code.find()) {
                if (FILE_NAME.matcher(code.group(1)).matches()) {
                    names.add(new Link(number, code.group(1)));
                }
            }
        }
        return names;
    }

    private static void add(List<Link> links, int line, String target) {
        if (!target.isEmpty() && !SCHEME.matcher(target).find() && !target.startsWith("//")) {
            links.add(new Link(line, target));
        }
    }

    /** What is wrong with a link from {@code file}, or {@code null} when it resolves. */
    private static String problem(Path file, String target, Map<Path, Set<String>> anchors) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null || anchor.isEmpty() || !resolved.toString().endsWith(".md")) {
            return null;
        }
        Set<String> ids = anchors.computeIfAbsent(resolved, p -> {
            try {
                return anchorsOf(Files.readString(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ids.contains(anchor) ? null : "no heading with id '" + anchor + "'";
    }

    /** GitHub's ids for the headings of a Markdown text (and explicit HTML anchors). */
    private static Set<String> anchorsOf(String text) {
        Set<String> ids = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            Matcher html = HTML_ID.matcher(line);
            while (html.find()) {
                ids.add(html.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String base = slug(heading.group(2));
                int n = seen.merge(base, 1, Integer::sum) - 1;
                ids.add(n == 0 ? base : base + "-" + n);
            }
        }
        return ids;
    }

    private static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link keeps its text
        text = text.replaceAll("<[^>]+>", "");                                  // HTML tags go
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }
}
