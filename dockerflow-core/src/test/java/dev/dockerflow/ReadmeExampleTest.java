package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The core used without any web framework, on the JDK's own HTTP server. The code
 * between the tag comments is quoted in the README; a test below keeps them equal.
 */
class ReadmeExampleTest {

    // tag::usage[]
    static Dockerflow dockerflow(RequestSummarySink sink) {
        return Dockerflow.builder()
                .config(DockerflowConfig.builder()               // environment first, code wins
                        .checkTimeout(Duration.ofSeconds(2))
                        .build())
                .check("disk", () -> {
                    long free = Path.of("/").toFile().getUsableSpace();
                    return free > 100_000_000L
                            ? List.of()
                            : List.of(CheckMessage.warning("acme.health.W001", "Low disk: " + free + " bytes"));
                })
                .check("upstream", Duration.ofMillis(500), () -> List.of(
                        CheckMessage.error("acme.health.E001", "Upstream unreachable")))
                .versionProvider(VersionProvider.fromAppDir(Path.of("/app"))
                        .orElse(VersionProvider.fromClasspath("version.json")))
                .summarySink(sink)                               // default: one mozlog line per request on stdout
                .build();
    }

    /** A whole adapter for the JDK's com.sun.net.httpserver. */
    static void handle(Dockerflow dockerflow, HttpExchange exchange) throws IOException {
        RequestView view = new RequestView() {
            public String method() { return exchange.getRequestMethod(); }
            public String rawPath() { return exchange.getRequestURI().getRawPath(); }
            public Optional<String> rawQuery() { return Optional.ofNullable(exchange.getRequestURI().getRawQuery()); }
            public Optional<String> header(String name) {
                return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
            }
        };
        ActiveRequest request = dockerflow.startRequest(view);  // first thing: request ID, start time
        try {
            request.forEachResponseHeader(exchange.getResponseHeaders()::set);  // the request-ID echo
            if (!request.isDockerflowPath()) {                   // the application's
                exchange.sendResponseHeaders(404, -1);
                request.complete(404, null);
                return;
            }
            DockerflowResponse r = request.answer();             // status, headers, body: copy them out
            r.forEachHeader(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(r.status(), r.bodyLength() == 0 ? -1 : r.bodyLength());
            try (OutputStream body = exchange.getResponseBody()) {
                r.writeBody(body);
            }
            request.complete(r.status(), null);
        } catch (RuntimeException e) {                           // e.g. /__error__, when enabled
            exchange.sendResponseHeaders(500, -1);
            request.complete(500, e);
        } finally {
            request.close();
            exchange.close();
        }
    }
    // end::usage[]

    @Test
    void theReadmeQuotesThisExampleVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/dockerflow/ReadmeExampleTest.java"));
        String snippet = source.substring(source.indexOf("    // tag::usage[]\n") + "    // tag::usage[]\n".length(),
                source.indexOf("    // end::usage[]"));
        String readme = Files.readString(Path.of("../README.md"));
        String unindented = snippet.lines().map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(readme).contains(unindented);
    }

    @Test
    void theExampleServesTheContractOverRealHttp() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Semaphore written = new Semaphore(0);
        Dockerflow df = dockerflow(RequestSummarySink.lines(line -> {
            lines.add(line);
            written.release();
        }));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(df, exchange));
        ExecutorService handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpResponse<String> hb = client.send(HttpRequest.newBuilder(URI.create(base + "/__heartbeat__"))
                    .header("X-Request-ID", "readme-1").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hb.statusCode()).isEqualTo(500);
            assertThat(hb.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(hb.headers().firstValue("X-Request-ID")).contains("readme-1");
            assertThat(hb.body()).startsWith("{\"status\":\"error\",\"checks\":{\"disk\":")
                    .contains("\"upstream\":{\"status\":\"error\",\"level\":40,"
                            + "\"messages\":{\"acme.health.E001\":\"Upstream unreachable\"}}");
            HttpResponse<String> lb = client.send(HttpRequest.newBuilder(URI.create(base + "/__lbheartbeat__")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(lb.statusCode()).isEqualTo(200);
            assertThat(lb.body()).isEmpty();
            HttpResponse<String> app = client.send(HttpRequest.newBuilder(URI.create(base + "/notes")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(app.statusCode()).isEqualTo(404);
            // the summary is written just after the answer goes out
            assertThat(written.tryAcquire(3, 10, TimeUnit.SECONDS)).as("3 summary lines written").isTrue();
            // once the server has stopped dispatching and every handler has returned, any
            // extra summary is written by now
            server.stop(0);
            handlers.shutdown();
            assertThat(handlers.awaitTermination(10, TimeUnit.SECONDS)).as("handlers finished").isTrue();
            assertThat(lines).hasSize(3);
            assertThat(JsonAssert.parse(lines.get(2)).get("Fields").get("code").asInt()).isEqualTo(404);
            assertThat(JsonAssert.parse(lines.get(0)).get("Fields").get("rid").asText()).isEqualTo("readme-1");
            assertThat(JsonAssert.parse(lines.get(1)).get("Fields").get("path").asText()).isEqualTo("/__lbheartbeat__");
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
