package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerflowEndpointsTest {

    @TempDir
    Path appDir;

    private DockerflowConfig.Builder config() {
        return DockerflowConfig.builder().environment(Map.of("APP_DIR", appDir.toString()));
    }

    private Dockerflow dockerflow(DockerflowConfig config, Check check) {
        return Dockerflow.builder().config(config).check("db", check).build();
    }

    /** What the core tells an adapter to answer, or null when the application answers. */
    private static DockerflowResponse answer(Dockerflow df, String method, String path) {
        try (ActiveRequest request = df.startRequest(new TestRequest(method, path, null).header("X-Request-ID", "rid-1"))) {
            return request.isDockerflowPath() ? request.answer() : null;
        }
    }

    private static DockerflowResponse get(Dockerflow df, String path) {
        return answer(df, "GET", path);
    }

    @Test
    void lbheartbeatIs200WithNoBodyAndNoStore() {
        Dockerflow df = Dockerflow.builder().config(config().build()).check("db", () -> {
            throw new AssertionError("lbheartbeat must run no check");
        }).build();
        DockerflowResponse r = get(df, "/__lbheartbeat__");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsExactly(Map.entry("Cache-Control", "no-store"), Map.entry("X-Request-ID", "rid-1"));
        assertThat(r.bodyLength()).isZero();
        assertThat(r.contentLength()).isZero();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void versionServesVersionJsonFromAppDir() throws IOException {
        Files.writeString(appDir.resolve("version.json"),
                "{\n  \"source\": \"https://github.com/acme/svc\", \"version\": \"1.2.3\",\n"
                        + "  \"commit\": \"abc123\", \"build\": \"https://ci/1\", \"extra\": {\"n\": 1.50}\n}\n");
        DockerflowResponse r = get(Dockerflow.builder().config(config().build()).build(), "/__version__");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        assertThat(r.bodyText()).isEqualTo("{\"source\":\"https://github.com/acme/svc\",\"version\":\"1.2.3\","
                + "\"commit\":\"abc123\",\"build\":\"https://ci/1\",\"extra\":{\"n\":1.50}}");
    }

    @Test
    void versionIs404WhenThereIsNoFile() {
        DockerflowResponse r = get(Dockerflow.builder().config(config().build()).build(), "/__version__");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("version.json not found");
        assertThat(r.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
    }

    @Test
    void malformedVersionIs500WithOneLineJsonErrorWithoutPathAndIsLoggedOnceWithTheCause() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "[\"not\", \"an object\"]");
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            DockerflowResponse r = get(df, "/__version__");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.headers()).containsEntry("Content-Type", "application/json");
            String body = r.bodyText();
            assertThat(body).doesNotContain("\n").doesNotContain(appDir.toString()).doesNotContain("Exception");
            assertThat(JsonAssert.parse(body).get("error").asText()).isNotBlank();
            assertThat(JsonAssert.parse(body).size()).isEqualTo(1);
            get(df, "/__version__");
            assertThat(log.records()).extracting(rec -> rec.getLevel()).containsExactly(Level.SEVERE, Level.FINE);
            assertThat(log.records().get(0).getThrown()).isInstanceOf(VersionException.class);
            assertThat(log.records().get(0).getMessage()).contains("JSON object");
        }
    }

    @Test
    void invalidJsonAndTrailingGarbageAreMalformedToo() throws IOException {
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        for (String content : List.of("{\"version\": ", "{\"a\":1} trailing", "", "\"text\"", "null")) {
            Files.writeString(appDir.resolve("version.json"), content);
            assertThat(get(df, "/__version__").status()).as(content).isEqualTo(500);
        }
    }

    @Test
    void aRepeatedMemberIsStillAnObjectAndItsLastValueIsServed() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "{\"version\":\"1\",\"version\":\"2\"}");
        DockerflowResponse r = get(Dockerflow.builder().config(config().build()).build(), "/__version__");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"version\":\"2\"}");
    }

    @Test
    void heartbeatIs200BelowErrorAndTheFailedStatusAtErrorOrAbove() {
        DockerflowResponse ok = get(dockerflow(config().build(), () -> List.of(CheckMessage.warning("x.W", "w"))), "/__heartbeat__");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
                Map.entry("Cache-Control", "no-store"), Map.entry("X-Request-ID", "rid-1"));
        assertThat(ok.bodyText()).isEqualTo("{\"status\":\"warning\",\"checks\":{\"db\":\"warning\"},"
                + "\"details\":{\"db\":{\"status\":\"warning\",\"level\":30,\"messages\":{\"x.W\":\"w\"}}}}");

        DockerflowResponse failed = get(dockerflow(config().build(), () -> List.of(CheckMessage.error("x.E", "e"))), "/__heartbeat__");
        assertThat(failed.status()).isEqualTo(500);

        DockerflowResponse custom = get(dockerflow(config().heartbeatFailedStatusCode(503).build(),
                () -> List.of(CheckMessage.critical("x.C", "c"))), "/__heartbeat__");
        assertThat(custom.status()).isEqualTo(503);
    }

    @Test
    void detailsHiddenKeepsTheStatusCode() {
        DockerflowResponse r = get(dockerflow(config().heartbeatShowDetails(false).build(),
                () -> List.of(CheckMessage.error("x.E", "e"))), "/__heartbeat__");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).isEqualTo("{\"status\":\"error\"}");
    }

    @Test
    void silencedChecksFromConfigurationApply() {
        DockerflowResponse r = get(dockerflow(
                DockerflowConfig.builder().environment(Map.of("DOCKERFLOW_SILENCED_CHECKS", "x.E, x.other")).build(),
                () -> List.of(CheckMessage.error("x.E", "e"))), "/__heartbeat__");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"status\":\"ok\",\"checks\":{\"db\":\"ok\"},\"details\":{}}");
    }

    @Test
    void configuredCheckTimeoutIsTheDefault() {
        Dockerflow df = Dockerflow.builder().config(config().checkTimeout(java.time.Duration.ofMillis(100)).build())
                .check("hangs", () -> {
                    Thread.sleep(30_000);
                    return List.of();
                }).build();
        assertThat(get(df, "/__heartbeat__").bodyText()).contains("Check timed out after 100 ms");
    }

    @Test
    void headAnswersCarryTheSameStatusAndHeadersWithoutBody() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "{\"version\":\"1\"}");
        Dockerflow df = dockerflow(config().build(), () -> List.of(CheckMessage.error("x.E", "e")));
        for (String path : List.of("/__lbheartbeat__", "/__version__", "/__heartbeat__")) {
            DockerflowResponse get = get(df, path);
            DockerflowResponse head = answer(df, "HEAD", path);
            assertThat(head.status()).as(path).isEqualTo(get.status());
            assertThat(head.headers()).as(path).isEqualTo(get.headers());
            assertThat(head.bodyLength()).as(path).isZero();
            assertThat(head.contentLength()).as(path).isEqualTo(get.bodyLength());
        }
    }

    @Test
    void otherMethodsGet405WithAllow() {
        Dockerflow df = Dockerflow.builder().config(config().errorEndpointEnabled(true).build()).build();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW")) {
            DockerflowResponse r = answer(df, method, "/__heartbeat__");
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.headers()).containsEntry("Allow", "GET, HEAD").containsEntry("X-Request-ID", "rid-1");
            assertThat(answer(df, method, "/__lbheartbeat__").status()).isEqualTo(405);
            assertThat(answer(df, method, "/__version__").status()).isEqualTo(405);
            assertThat(answer(df, method, "/__error__").headers()).containsEntry("Allow", "GET");
        }
    }

    @Test
    void otherPathsAreLeftToTheApplication() {
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        assertThat(get(df, "/items")).isNull();
        assertThat(get(df, "/__heartbeat__/x")).isNull();
        assertThat(get(df, "/__HEARTBEAT__")).isNull();
        assertThat(get(df, "/__lbheartbeat__")).isNotNull();
    }

    @Test
    void errorEndpointIsUnknownWhenDisabled() {
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        assertThat(df.config().errorEndpointEnabled()).isFalse();
        assertThat(get(df, "/__error__")).isNull();
        assertThat(answer(df, "POST", "/__error__")).isNull();
    }

    @Test
    void errorEndpointLogsAndRaisesWhenEnabled() {
        Dockerflow df = Dockerflow.builder().config(config().errorEndpointEnabled(true).build()).build();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            assertThatThrownBy(() -> get(df, "/__error__"))
                    .isInstanceOf(ErrorEndpointException.class)
                    .hasMessage("The __error__ endpoint was called");
            assertThat(log.messagesAt(Level.SEVERE)).containsExactly("The __error__ endpoint was called");
        }
    }

    @Test
    void endpointPathsAreTheContracts() {
        assertThat(Endpoint.values()).extracting(Endpoint::path)
                .containsExactly("/__lbheartbeat__", "/__version__", "/__heartbeat__", "/__error__");
        assertThat(Endpoint.forPath("/__version__")).contains(Endpoint.VERSION);
        assertThat(Endpoint.forPath(null)).isEmpty();
    }

    @Test
    void responseBodyIsACopy() {
        Dockerflow df = dockerflow(config().build(), List::of);
        DockerflowResponse r = get(df, "/__heartbeat__");
        byte[] body = r.body();
        body[0] = 'X';
        assertThat(r.bodyText()).startsWith("{");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{");
    }
}
