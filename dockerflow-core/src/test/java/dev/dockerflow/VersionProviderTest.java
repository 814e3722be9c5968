package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // scopes opened only for their side effect
class VersionProviderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheConventionalMembersAndKeepsOthersInOrder() throws IOException {
        Files.writeString(dir.resolve("version.json"),
                "{\"zeta\":true,\"source\":\"s\",\"version\":\"v\",\"commit\":\"c\",\"build\":\"b\",\"n\":7}");
        VersionInfo v = VersionProvider.fromAppDir(dir).version().orElseThrow();
        assertThat(v.source()).contains("s");
        assertThat(v.version()).contains("v");
        assertThat(v.commit()).contains("c");
        assertThat(v.build()).contains("b");
        assertThat(v.members().keySet()).containsExactly("zeta", "source", "version", "commit", "build", "n");
        assertThat(new String(v.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"zeta\":true,\"source\":\"s\",\"version\":\"v\",\"commit\":\"c\",\"build\":\"b\",\"n\":7}");
    }

    @Test
    void aMissingFileIsNoVersionAndAFolderInItsPlaceIsAnError() throws IOException {
        assertThat(VersionProvider.fromFile(dir.resolve("nope.json")).version()).isEmpty();
        Files.createDirectory(dir.resolve("version.json"));
        assertThatThrownBy(() -> VersionProvider.fromAppDir(dir).version()).isInstanceOf(VersionException.class);
    }

    @Test
    void malformedContentIsAVersionExceptionNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("v.json"), "42");
        assertThatThrownBy(() -> VersionProvider.fromFile(file).version())
                .isInstanceOf(VersionException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("found a JSON number");
    }

    @Test
    void readsAClasspathResource() {
        VersionInfo v = VersionProvider.fromClasspath("versions/version.json").version().orElseThrow();
        assertThat(v.version()).contains("classpath");
        assertThat(VersionProvider.fromClasspath("/versions/version.json").version()).isPresent();
        assertThat(VersionProvider.fromClasspath("missing/version.json").version()).isEmpty();
    }

    @Test
    void aClasspathResourceIsReadUpToOneMebibyteAndItsParseErrorsQuoteNothing() {
        ClassLoader endless = new ClassLoader(null) {
            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                return new java.io.InputStream() {
                    @Override
                    public int read() {
                        return ' ';
                    }
                };
            }
        };
        assertThatThrownBy(() -> VersionProvider.fromClasspath(endless, "version.json").version())
                .isInstanceOf(VersionException.class)
                .hasMessage("classpath resource version.json: more than the 1048576 bytes allowed, read no further");

        ClassLoader secret = new ClassLoader(null) {
            @Override
            public java.io.InputStream getResourceAsStream(String name) {
                return new java.io.ByteArrayInputStream("{\"k\": sesame}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        assertThatThrownBy(() -> VersionProvider.fromClasspath(secret, "version.json").version())
                .isInstanceOf(VersionException.class)
                .hasNoCause()
                .hasMessage("classpath resource version.json: version.json is not valid JSON: "
                        + "a word that is not a JSON value; parsing stopped at line 1, column 14 (byte 13)");
    }

    @Test
    void chainsToAFallbackOnlyWhenThereIsNoVersion() throws IOException {
        VersionProvider chained = VersionProvider.fromAppDir(dir).orElse(VersionProvider.fromClasspath("versions/version.json"));
        assertThat(chained.version().orElseThrow().version()).contains("classpath");
        Files.writeString(dir.resolve("version.json"), "{\"version\":\"file\"}");
        assertThat(chained.version().orElseThrow().version()).contains("file");
        Files.writeString(dir.resolve("version.json"), "[]");
        assertThatThrownBy(chained::version).isInstanceOf(VersionException.class);
    }

    @Test
    void aLambdaOrFixedVersionWorks() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("version", "9.9");
        members.put("commit", "deadbeef");
        VersionProvider lambda = () -> Optional.of(VersionInfo.of(members));
        assertThat(lambda.version().orElseThrow().commit()).contains("deadbeef");
        assertThat(VersionProvider.of(VersionInfo.of(members)).version().orElseThrow().toJson())
                .asString().isEqualTo("{\"version\":\"9.9\",\"commit\":\"deadbeef\"}");
        assertThat(VersionProvider.none().version()).isEmpty();
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults()).versionProvider(lambda).build();
        assertThat(TestAnswers.get(df, "/__version__").bodyText()).isEqualTo("{\"version\":\"9.9\",\"commit\":\"deadbeef\"}");
    }

    @Test
    void aThrowingProviderIsServedAs500() {
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults())
                .versionProvider(() -> {
                    throw new IllegalStateException("/secret/path/version.json unreadable");
                }).build();
        try (LogCapture ignored = LogCapture.of("dockerflow")) {
            DockerflowResponse r = TestAnswers.get(df, "/__version__");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText()).doesNotContain("/secret/path");
        }
    }

    @Test
    void defaultProviderReadsAppDirFromConfiguration() throws IOException {
        Files.writeString(dir.resolve("version.json"), "{\"version\":\"from-app-dir\"}");
        Dockerflow df = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of("APP_DIR", dir.toString())).build())
                .build();
        assertThat(TestAnswers.get(df, "/__version__").bodyText()).isEqualTo("{\"version\":\"from-app-dir\"}");
    }
}
