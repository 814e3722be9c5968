package dev.dockerflow.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import io.helidon.common.Weighted;
import io.helidon.common.Weights;
import io.helidon.spi.HelidonShutdownHandler;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the feature stops with the server: the drain runs in Helidon's shutdown handling
 * before the server stops listening, and once the server has stopped the Dockerflow closes,
 * summarizing the requests the server gave up on.
 */
@Timeout(120)
class ShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Dockerflow dockerflow() {
        return Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(lines::add))
                .build();
    }

    private List<JsonNode> summariesOf(String rid) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.get("Fields").get("rid").asText().equals(rid)) {
                found.add(node);
            }
        }
        return found;
    }

    private HttpResponse<String> get(int port, String path, String rid) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Request-ID", rid).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestTheServerGivesUpOnIsSummarizedAsCutWhenTheServerStops() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofMillis(200))
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(dockerflow()))
                        .get("/quick", (req, res) -> res.send("quick"))
                        .get("/stuck", (req, res) -> {
                            // a wait that ignores interrupts, as a blocking call into a library might
                            entered.countDown();
                            boolean interrupted = false;
                            while (release.getCount() > 0) {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    interrupted = true;
                                }
                            }
                            try {
                                res.send("too late");
                            } finally {
                                left.countDown();
                                if (interrupted) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }))
                .build()
                .start();
        int port = server.port();
        assertThat(get(port, "/quick", "quick").statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> stuck = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stuck")).header("X-Request-ID", "stuck")
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the handler started").isTrue();

        server.stop(); // waits the grace period, then gives up on /stuck

        List<JsonNode> cut = summariesOf("stuck");
        assertThat(cut).hasSize(1);
        JsonNode fields = cut.getFirst().get("Fields");
        assertThat(fields.get("cut").asBoolean()).isTrue();
        assertThat(fields.get("code").asInt()).isEqualTo(500);
        assertThat(fields.get("errno").asInt()).isEqualTo(500);
        assertThat(fields.get("path").asText()).isEqualTo("/stuck");
        assertThat(summariesOf("quick")).hasSize(1);
        assertThat(stuck).failsWithin(Duration.ofSeconds(10)); // the client never got an answer

        // the handler's late answer writes no second line
        release.countDown();
        assertThat(left.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(summariesOf("stuck")).hasSize(1);
    }

    @Test
    void theDrainRunsAheadOfTheWebserversOwnShutdownHandler() throws Exception {
        Dockerflow dockerflow = dockerflow();
        DrainOnShutdown drain = new DrainOnShutdown(dockerflow);
        HelidonShutdownHandler webserver = () -> { }; // the webserver's handler declares no weight
        List<Object> handlers = new ArrayList<>(List.of(webserver, drain));
        Weights.sort(handlers);
        assertThat(handlers).containsExactly(drain, webserver);
        assertThat(drain.weight()).isGreaterThan(Weighted.DEFAULT_WEIGHT);

        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(dockerflow))
                        .get("/notes", (req, res) -> res.send("notes")))
                .build()
                .start();
        try {
            assertThat(get(server.port(), "/__lbheartbeat__", "before").statusCode()).isEqualTo(200);
            drain.shutdown(); // DOCKERFLOW_SHUTDOWN_DRAIN_MS is 0 here: drains and returns at once
            HttpResponse<String> probe = get(server.port(), "/__lbheartbeat__", "during");
            assertThat(probe.statusCode()).isEqualTo(503);
            assertThat(probe.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(get(server.port(), "/notes", "app").statusCode()).isEqualTo(200);
        } finally {
            server.stop();
        }
        assertThat(summariesOf("during").getFirst().get("Fields").get("code").asInt()).isEqualTo(503);
        assertThat(summariesOf("app").getFirst().get("Fields").get("code").asInt()).isEqualTo(200);
    }

    @Test
    void onSigtermHelidonsOwnShutdownHookDrainsBeforeTheServerStops() throws Exception {
        Path out = Files.createTempFile("helidon-shutdown-", ".stdout");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ShutdownHookServer.class.getName());
        builder.environment().keySet().removeIf(k -> k.startsWith("DOCKERFLOW_"));
        builder.environment().put("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "1000");
        builder.redirectErrorStream(true).redirectOutput(out.toFile());
        Process process = builder.start();
        try {
            int port = awaitPort(process, out);
            assertThat(get(port, "/__lbheartbeat__", "up").statusCode()).isEqualTo(200);
            process.destroy(); // SIGTERM

            // the probe turns 503 while the application is still served, then the port closes
            List<String> seen = new ArrayList<>();
            boolean drained = false;
            boolean servedWhileDraining = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; System.nanoTime() < deadline; i++) {
                try {
                    int probe = get(port, "/__lbheartbeat__", "probe-" + i).statusCode();
                    seen.add("probe " + probe);
                    if (probe == 503) {
                        drained = true;
                        int app = get(port, "/notes", "app-" + i).statusCode();
                        seen.add("app " + app);
                        servedWhileDraining |= app == 200;
                    } else {
                        assertThat(drained).as("a probe answered %d after the drain began: %s", probe, seen).isFalse();
                    }
                } catch (ConnectException e) {
                    break; // the server stopped listening
                } catch (IOException e) {
                    seen.add(e.toString()); // a connection the stopping server closed
                }
            }
            assertThat(drained).as("probes: %s", seen).isTrue();
            assertThat(servedWhileDraining).as("probes: %s", seen).isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // the summaries of the drain's answers were written before the process ended
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("\"code\":503");
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    private static int awaitPort(Process process, Path out) throws IOException, InterruptedException {
        Pattern listening = Pattern.compile("Listening on port (\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("the server exited: " + Files.readString(out, StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server did not say its port: " + Files.readString(out, StandardCharsets.UTF_8));
    }
}
