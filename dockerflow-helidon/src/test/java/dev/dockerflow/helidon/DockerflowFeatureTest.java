package dev.dockerflow.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestId;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.VersionInfo;
import dev.dockerflow.VersionProvider;
import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The feature inside an application that has its own routes, filter and error handler,
 * over real HTTP on a random port.
 */
@Timeout(60)
class DockerflowFeatureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** One permit per summary line written. */
    private final Semaphore written = new Semaphore(0);
    private final List<String> appFilterSaw = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> idSeenByHandler = new AtomicReference<>();
    private final AtomicReference<String> idSeenAfterSend = new AtomicReference<>();
    private final CompletableFuture<String> idSeenAfterChain = new CompletableFuture<>();
    private WebServer server;
    private HttpClient client;

    static final class AppException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AppException(String message) {
            super(message);
        }
    }

    @BeforeEach
    void start() {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).errorEndpointEnabled(true).build())
                .check("db", () -> List.of(CheckMessage.warning("acme.health.W001", "slow")))
                .versionProvider(VersionProvider.of(VersionInfo.of(Map.of("version", "1.0"))))
                .summarySink(RequestSummarySink.lines(line -> {
                    lines.add(line);
                    written.release();
                }))
                .build();
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(dockerflow))
                        .addFilter((chain, req, res) -> {
                            appFilterSaw.add(req.path().rawPath());
                            if (req.headers().first(io.helidon.http.HeaderNames.create("X-Deny")).isPresent()) {
                                res.status(Status.UNAUTHORIZED_401).send("denied");
                                return;
                            }
                            if (req.path().rawPath().equals("/filter-throws")) {
                                throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
                            }
                            res.header("X-App-Filter", "ran");
                            chain.proceed();
                            idSeenAfterChain.complete(RequestId.current().orElse("none"));
                        })
                        .addFilter(TestSecurity.authenticateFrom("X-User"))
                        .get("/notes", (req, res) -> {
                            idSeenByHandler.set(RequestId.current().orElse("none"));
                            res.send("notes");
                            idSeenAfterSend.set(RequestId.current().orElse("none"));
                        })
                        .get("/mapped", (req, res) -> {
                            throw new AppException("mapped by the app");
                        })
                        .get("/unhandled", (req, res) -> {
                            throw new IllegalStateException("nobody handles \"this\"");
                        })
                        .get("/bad", (req, res) -> {
                            throw new BadRequestException("bad input");
                        })
                        .error(AppException.class, (req, res, e) -> res.status(Status.CONFLICT_409).send("app: " + e.getMessage()))
                        .error(java.io.UncheckedIOException.class, (req, res, e) -> res
                                .status(Status.SERVICE_UNAVAILABLE_503).send("mapped")))
                .build()
                .start();
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Awaits the one summary line, then stops the server so that no second one can still be coming. */
    private JsonNode lastSummary() throws Exception {
        assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).as("a summary line written").isTrue();
        // a graceful stop lets requests in flight finish: a second line, if any, is written by now
        server.stop();
        assertThat(lines).hasSize(1);
        return JSON.readTree(lines.get(0));
    }

    @Test
    void dockerflowEndpointsAnswerAtTheRootWithoutRunningApplicationFilters() throws Exception {
        HttpResponse<String> lb = get("/__lbheartbeat__");
        assertThat(lb.statusCode()).isEqualTo(200);
        assertThat(lb.body()).isEmpty();
        assertThat(lb.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(lb.headers().firstValue("Content-Length")).contains("0");

        HttpResponse<String> hb = get("/__heartbeat__");
        assertThat(hb.statusCode()).isEqualTo(200);
        assertThat(hb.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(hb.body()).isEqualTo("{\"status\":\"warning\",\"checks\":{\"db\":\"warning\"},\"details\":{\"db\":"
                + "{\"status\":\"warning\",\"level\":30,\"messages\":{\"acme.health.W001\":\"slow\"}}}}");

        HttpResponse<String> version = get("/__version__");
        assertThat(version.body()).isEqualTo("{\"version\":\"1.0\"}");
        assertThat(appFilterSaw).isEmpty();
    }

    @Test
    void headCarriesTheGetHeadersAndContentLengthWithoutBody() throws Exception {
        HttpResponse<String> get = get("/__heartbeat__");
        HttpResponse<String> head = send("HEAD", "/__heartbeat__");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .contains(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void otherMethodsGet405WithAllow() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = send(method, "/__version__");
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
        }
    }

    @Test
    void applicationRoutesAndFiltersKeepWorkingAndAreSummarized() throws Exception {
        HttpResponse<String> r = get("/notes?x=1", "X-Request-ID", "req-42", "User-Agent", "test/1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("notes");
        assertThat(r.headers().firstValue("X-App-Filter")).contains("ran");
        assertThat(r.headers().firstValue("X-Request-ID")).contains("req-42");
        assertThat(idSeenByHandler.get()).isEqualTo("req-42");
        JsonNode fields = lastSummary().get("Fields");
        assertThat(fields.get("path").asText()).isEqualTo("/notes");
        assertThat(fields.get("code").asInt()).isEqualTo(200);
        assertThat(fields.get("rid").asText()).isEqualTo("req-42");
        assertThat(fields.get("agent").asText()).isEqualTo("test/1");
        assertThat(fields.get("errno").asInt()).isZero();
    }

    @Test
    void theRequestIdStaysReadableAfterTheResponseIsSentUntilTheRequestEnds() throws Exception {
        get("/notes", "X-Request-ID", "late-1");
        lastSummary();
        // the application filter's code after proceed() may still be running once the client has its answer
        assertThat(idSeenAfterSend.get()).isEqualTo("late-1");
        assertThat(idSeenAfterChain.get(10, TimeUnit.SECONDS)).isEqualTo("late-1");
    }

    @Test
    void anExceptionFromAnApplicationFilterThatTheApplicationMapsIsSummarizedWithTheMappedStatus() throws Exception {
        HttpResponse<String> r = get("/filter-throws");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("mapped");
        JsonNode line = lastSummary();
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(503);
        assertThat(line.get("Fields").get("errno").asInt()).isZero();
        assertThat(line.get("Severity").asInt()).isEqualTo(6);
    }

    @Test
    void anApplicationErrorHandlerStillAnswersAndTheRequestCountsAsHandled() throws Exception {
        HttpResponse<String> r = get("/mapped");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("app: mapped by the app");
        JsonNode line = lastSummary();
        assertThat(line.get("Severity").asInt()).isEqualTo(6);
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(409);
        assertThat(line.get("Fields").get("errno").asInt()).isZero();
        assertThat(line.get("Fields").has("msg")).isFalse();
    }

    @Test
    void anUnhandledExceptionIsA500WithErrnoSeverityAndMessage() throws Exception {
        HttpResponse<String> r = get("/unhandled", "X-Request-ID", "boom-1");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("X-Request-ID")).contains("boom-1");
        JsonNode line = lastSummary();
        assertThat(line.get("Severity").asInt()).isEqualTo(3);
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(500);
        assertThat(line.get("Fields").get("errno").asInt()).isEqualTo(500);
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("nobody handles \"this\"");
    }

    @Test
    void aClientErrorHttpExceptionIsNotARaisedRequest() throws Exception {
        HttpResponse<String> r = get("/bad");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode line = lastSummary();
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(400);
        assertThat(line.get("Fields").get("errno").asInt()).isZero();
    }

    @Test
    void aRequestNoRouteMatchesIsA404Summary() throws Exception {
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
        JsonNode fields = lastSummary().get("Fields");
        assertThat(fields.get("code").asInt()).isEqualTo(404);
        assertThat(fields.get("errno").asInt()).isZero();
    }

    @Test
    void aResponseSentByAnApplicationFilterIsSummarized() throws Exception {
        HttpResponse<String> r = get("/notes", "X-Deny", "1");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
        assertThat(lastSummary().get("Fields").get("code").asInt()).isEqualTo(401);
    }

    @Test
    void uidComesFromTheSecurityContext() throws Exception {
        get("/notes", "X-User", "alice");
        assertThat(lastSummary().get("Fields").get("uid").asText()).isEqualTo("alice");
    }

    @Test
    void theErrorEndpointRaisesAndIsSummarizedAsRaised() throws Exception {
        HttpResponse<String> r = get("/__error__");
        assertThat(r.statusCode()).isEqualTo(500);
        JsonNode line = lastSummary();
        assertThat(line.get("Severity").asInt()).isEqualTo(3);
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("The __error__ endpoint was called");
    }

    @Test
    void aUserAgentInUtf8IsLoggedAsHelidonDecodesItOneReplacementCharacterPerByte() throws Exception {
        // Helidon decodes header values as US-ASCII and keeps no other form of them (see the README)
        byte[] request = ("GET /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: \u00fcn\u00efc\u00f6d\u00e9\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            readResponse(socket.getInputStream());
        }
        JsonNode summary = lastSummary();
        assertThat(summary.at("/Fields/agent").asText())
                .isEqualTo("\ufffd\ufffdn\ufffd\ufffdc\ufffd\ufffdd\ufffd\ufffd");
        assertThat(lines.get(0)).as("escaped, one line of ASCII").contains("\\ufffd").matches("\\p{ASCII}+");
    }

    @Test
    void eachAnswerLeavesInOneWriteSoNagleNeverHoldsItsTail() throws Exception {
        // With Nagle's algorithm on (Helidon's default) an answer written in several small
        // writes has its tail held back until the peer's delayed ACK, about 40 ms a request.
        // An answer written at once reaches a loopback peer as one segment: the first read
        // after it arrives returns all of it.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65_536];
            for (int i = 0; i < 100; i++) {
                String path = i % 2 == 0 ? "/__lbheartbeat__" : "/__heartbeat__";
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                int read = in.read(buffer);
                assertThat(read).as("first read of answer %d", i).isPositive();
                String answer = new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                int headEnd = answer.indexOf("\r\n\r\n");
                assertThat(headEnd).as("answer %d's head arrived whole: %s", i, answer).isPositive();
                assertThat(answer).as("answer %d", i).startsWith("HTTP/1.1 200");
                int length = 0;
                for (String line : answer.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertThat(read - headEnd - 4).as("answer %d's body arrived with its head (%s)", i, path)
                        .isEqualTo(length);
            }
        }
    }

    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
    }
}
