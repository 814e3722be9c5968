package dev.dockerflow.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An application's own handler for Throwable, given to the feature's builder. */
class UnhandledErrorHandlerTest {

    @Test
    void theApplicationsLastResortHandlerAnswersAndTheRequestCountsAsHandled() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Semaphore written = new Semaphore(0);
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(line -> {
                    lines.add(line);
                    written.release();
                }))
                .build();
        // tag::readme[]
        DockerflowFeature feature = DockerflowFeature.builder()
                .dockerflow(dockerflow)
                .unhandledErrorHandler((req, res, e) -> res.status(Status.INTERNAL_SERVER_ERROR_500).send("sorry"))
                .build();
        // end::readme[]
        WebServer server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.addFeature(feature).get("/boom", (req, res) -> {
                    throw new IllegalStateException("boom");
                }))
                .build().start();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("sorry");
            assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).as("a summary line written").isTrue();
            // a graceful stop lets requests in flight finish: a second line, if any, is written by now
            server.stop();
            assertThat(lines).hasSize(1);
            JsonNode fields = new ObjectMapper().readTree(lines.get(0)).get("Fields");
            assertThat(fields.get("code").asInt()).isEqualTo(500);
            assertThat(fields.get("errno").asInt()).isZero();
        } finally {
            server.stop();
        }
    }

    @Test
    void theReadmeShowsThisBuilderCall() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/dockerflow/helidon/UnhandledErrorHandlerTest.java"));
        String region = source.substring(source.indexOf("// tag::readme[]\n") + 17, source.indexOf("        // end::readme[]"));
        String snippet = String.join("\n", region.lines().map(l -> l.length() > 8 ? l.substring(8) : l.strip()).toList());
        assertThat(Files.readString(Path.of("README.md"))).contains(snippet.replace("DockerflowFeature feature = ", ""));
    }
}
