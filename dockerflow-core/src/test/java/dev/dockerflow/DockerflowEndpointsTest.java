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

    @Test
    void lbheartbeatIs200WithNoBodyAndNoStore() {
        Dockerflow df = Dockerflow.builder().config(config().build()).check("db", () -> {
            throw new AssertionError("lbheartbeat must run no check");
        }).build();
        DockerflowResponse r = df.lbheartbeat();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsExactly(Map.entry("Cache-Control", "no-store"));
        assertThat(r.bodyLength()).isZero();
        assertThat(r.body()).isEmpty();
        assertThat(df.lbheartbeat()).isSameAs(r);
    }

    @Test
    void versionServesVersionJsonFromAppDir() throws IOException {
        Files.writeString(appDir.resolve("version.json"),
                "{\n  \"source\": \"https://github.com/acme/svc\", \"version\": \"1.2.3\",\n"
                        + "  \"commit\": \"abc123\", \"build\": \"https://ci/1\", \"extra\": {\"n\": 1.50}\n}\n");
        DockerflowResponse r = Dockerflow.builder().config(config().build()).build().version();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/json");
        assertThat(r.bodyText()).isEqualTo("{\"source\":\"https://github.com/acme/svc\",\"version\":\"1.2.3\","
                + "\"commit\":\"abc123\",\"build\":\"https://ci/1\",\"extra\":{\"n\":1.50}}");
    }

    @Test
    void versionIs404WhenThereIsNoFile() {
        DockerflowResponse r = Dockerflow.builder().config(config().build()).build().version();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("version.json not found");
        assertThat(r.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
    }

    @Test
    void malformedVersionIs500WithOneLineJsonErrorWithoutPathAndIsLoggedOnceWithTheCause() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "[\"not\", \"an object\"]");
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            DockerflowResponse r = df.version();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.headers()).containsEntry("Content-Type", "application/json");
            String body = r.bodyText();
            assertThat(body).doesNotContain("\n").doesNotContain(appDir.toString()).doesNotContain("Exception");
            assertThat(JsonAssert.parse(body).get("error").asText()).isNotBlank();
            assertThat(JsonAssert.parse(body).size()).isEqualTo(1);
            df.version();
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
            assertThat(df.version().status()).as(content).isEqualTo(500);
        }
    }

    @Test
    void aRepeatedMemberIsStillAnObjectAndItsLastValueIsServed() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "{\"version\":\"1\",\"version\":\"2\"}");
        DockerflowResponse r = Dockerflow.builder().config(config().build()).build().version();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("{\"version\":\"2\"}");
    }

    @Test
    void heartbeatIs200BelowErrorAndTheFailedStatusAtErrorOrAbove() {
        DockerflowResponse ok = dockerflow(config().build(), () -> List.of(CheckMessage.warning("x.W", "w"))).heartbeat();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers()).containsExactly(
                Map.entry("Content-Type", "application/json"), Map.entry("Cache-Control", "no-store"));
        assertThat(ok.bodyText()).isEqualTo("{\"status\":\"warning\",\"checks\":{\"db\":\"warning\"},"
                + "\"details\":{\"db\":{\"status\":\"warning\",\"level\":30,\"messages\":{\"x.W\":\"w\"}}}}");

        DockerflowResponse failed = dockerflow(config().build(), () -> List.of(CheckMessage.error("x.E", "e"))).heartbeat();
        assertThat(failed.status()).isEqualTo(500);

        DockerflowResponse custom = dockerflow(config().heartbeatFailedStatusCode(503).build(),
                () -> List.of(CheckMessage.critical("x.C", "c"))).heartbeat();
        assertThat(custom.status()).isEqualTo(503);
    }

    @Test
    void detailsHiddenKeepsTheStatusCode() {
        DockerflowResponse r = dockerflow(config().heartbeatShowDetails(false).build(),
                () -> List.of(CheckMessage.error("x.E", "e"))).heartbeat();
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).isEqualTo("{\"status\":\"error\"}");
    }

    @Test
    void silencedChecksFromConfigurationApply() {
        DockerflowResponse r = dockerflow(
                DockerflowConfig.builder().environment(Map.of("DOCKERFLOW_SILENCED_CHECKS", "x.E, x.other")).build(),
                () -> List.of(CheckMessage.error("x.E", "e"))).heartbeat();
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
        assertThat(df.heartbeat().bodyText()).contains("Check timed out after 100 ms");
    }

    @Test
    void headAnswersCarryTheSameStatusAndHeadersWithoutBody() throws IOException {
        Files.writeString(appDir.resolve("version.json"), "{\"version\":\"1\"}");
        Dockerflow df = dockerflow(config().build(), () -> List.of(CheckMessage.error("x.E", "e")));
        for (Endpoint e : List.of(Endpoint.LBHEARTBEAT, Endpoint.VERSION, Endpoint.HEARTBEAT)) {
            DockerflowResponse get = df.answer(e, "GET");
            DockerflowResponse head = df.answer(e, "HEAD");
            assertThat(head.status()).as(e.name()).isEqualTo(get.status());
            assertThat(head.headers()).as(e.name()).isEqualTo(get.headers());
            assertThat(head.bodyLength()).as(e.name()).isZero();
            assertThat(head.contentLength()).as(e.name()).isEqualTo(get.bodyLength());
        }
    }

    @Test
    void otherMethodsGet405WithAllow() {
        Dockerflow df = Dockerflow.builder().config(config().errorEndpointEnabled(true).build()).build();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW")) {
            DockerflowResponse r = df.handle(method, "/__heartbeat__").orElseThrow();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.headers()).containsEntry("Allow", "GET, HEAD");
            assertThat(df.handle(method, "/__lbheartbeat__").orElseThrow().status()).isEqualTo(405);
            assertThat(df.handle(method, "/__version__").orElseThrow().status()).isEqualTo(405);
            assertThat(df.handle(method, "/__error__").orElseThrow().headers()).containsEntry("Allow", "GET");
        }
    }

    @Test
    void handleLeavesOtherPathsToTheApplication() {
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        assertThat(df.handle("GET", "/items")).isEmpty();
        assertThat(df.handle("GET", "/__heartbeat__/x")).isEmpty();
        assertThat(df.handle("GET", "/__HEARTBEAT__")).isEmpty();
        assertThat(df.handle("GET", "/__lbheartbeat__")).contains(df.lbheartbeat());
    }

    @Test
    void errorEndpointIsUnknownWhenDisabled() {
        Dockerflow df = Dockerflow.builder().config(config().build()).build();
        assertThat(df.config().errorEndpointEnabled()).isFalse();
        assertThat(df.handle("GET", "/__error__")).isEmpty();
        assertThat(df.handle("POST", "/__error__")).isEmpty();
    }

    @Test
    void errorEndpointLogsAndRaisesWhenEnabled() {
        Dockerflow df = Dockerflow.builder().config(config().errorEndpointEnabled(true).build()).build();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            assertThatThrownBy(() -> df.handle("GET", "/__error__"))
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
        DockerflowResponse r = df.heartbeat();
        byte[] body = r.body();
        body[0] = 'X';
        assertThat(r.bodyText()).startsWith("{");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{");
    }
}
