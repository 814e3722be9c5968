package dev.dockerflow.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.VersionInfo;
import dev.dockerflow.VersionProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerflow contract's HTTP behaviour, stated once for every adapter. An adapter's
 * test extends this class and says how to start its framework's server; every test here
 * then speaks real HTTP to that server and checks status, headers, body bytes and the
 * request summary lines the service writes.
 *
 * <p>The kit builds the {@link Dockerflow} (its check, version provider, configuration
 * and summary sink are the kit's) and hands it to {@link #start(Dockerflow)}. The adapter
 * test's application serves, besides the Dockerflow endpoints:
 * <ul>
 *   <li>{@link #okPath()}: {@code GET} answers {@code 200} with body {@code ok};</li>
 *   <li>{@link #unhandledExceptionPath()}: throws
 *       {@code new IllegalStateException(UNHANDLED_MESSAGE)}, which nothing in the
 *       application handles;</li>
 *   <li>{@link #mappedExceptionPath()}: throws {@link KitMappedException}, which the
 *       application's own exception mapper or error handler turns into
 *       {@link #MAPPED_STATUS};</li>
 *   <li>{@link #frameworkErrorPath(int)}: throws the framework's own HTTP exception (JAX-RS
 *       {@code WebApplicationException}, Helidon {@code HttpException}, ...) with the status
 *       in the path's last segment and the message {@link #FRAMEWORK_ERROR_MESSAGE}, which no
 *       application handler takes;</li>
 *   <li>{@link #requestIdPath()}: answers {@code 200} with the text of
 *       {@code RequestId.current()}, or {@code none} when there is no current ID.</li>
 * </ul>
 * A request carrying the header {@link #USER_HEADER} is authenticated by the application
 * as the user it names, the way the framework knows users (a JAX-RS
 * {@code SecurityContext}, a Helidon security subject). The server accepts request
 * headers of at least 16 KB and serves at least 50 requests at once.
 */
public abstract class DockerflowConformanceKit {

    /** The message of the exception thrown at {@link #unhandledExceptionPath()}. */
    public static final String UNHANDLED_MESSAGE = "conformance kit: nothing handles this";

    /** The status the application maps {@link KitMappedException} to. */
    public static final int MAPPED_STATUS = 409;

    /** The message of the framework HTTP exceptions thrown at {@link #frameworkErrorPath(int)}. */
    public static final String FRAMEWORK_ERROR_MESSAGE = "conformance kit: framework HTTP error";

    /** The request header whose value the application takes as the authenticated user's name. */
    public static final String USER_HEADER = "X-Kit-User";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> STANDARD_FIELDS =
            Set.of("agent", "lang", "method", "path", "code", "errno", "t", "rid", "uid");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHECK_NAME = "kit";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Semaphore arrivals = new Semaphore(0);
    private final AtomicReference<Check> check = new AtomicReference<>(List::of);
    private final AtomicInteger checkRuns = new AtomicInteger();
    private final AtomicReference<VersionProvider> version = new AtomicReference<>(VersionProvider.none());
    private KitServer server;
    private int linesSeen;

    @TempDir
    Path tempDir;

    /**
     * Starts the adapter's server for a Dockerflow on a free port of {@code 127.0.0.1},
     * with the application routes this class describes. Called at most once per test.
     *
     * @param dockerflow the Dockerflow the server uses
     * @return the running server
     * @throws Exception if the server cannot start
     */
    protected abstract KitServer start(Dockerflow dockerflow) throws Exception;

    /**
     * Starts the adapter's server as {@link #start(Dockerflow)} does, but on a runtime that
     * has at most {@code threads} threads to run requests on (a fixed worker pool, or the
     * runtime's equivalent), for the tests of a heartbeat storm. The default skips those
     * tests: override it when the adapter's runtime can be started that way.
     *
     * @param dockerflow the Dockerflow the server uses
     * @param threads the number of threads that run requests
     * @return the running server
     * @throws Exception if the server cannot start
     */
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) throws Exception {
        return Assumptions.abort(getClass().getSimpleName() + " does not say how to start its server with a fixed pool of "
                + threads + " request threads (override startWithFixedPool)");
    }

    /**
     * The path of a route that answers {@code GET} with {@code 200} and body {@code ok}.
     *
     * @return the path; {@code /kit/ok} unless overridden
     */
    protected String okPath() {
        return "/kit/ok";
    }

    /**
     * The path of a route that throws {@code new IllegalStateException(UNHANDLED_MESSAGE)}
     * that nothing in the application handles.
     *
     * @return the path
     */
    protected String unhandledExceptionPath() {
        return "/kit/unhandled";
    }

    /**
     * The path of a route that throws {@link KitMappedException}, which the application
     * turns into {@link #MAPPED_STATUS}.
     *
     * @return the path
     */
    protected String mappedExceptionPath() {
        return "/kit/mapped";
    }

    /**
     * The path of a route that throws the framework's own HTTP exception with a status and
     * {@link #FRAMEWORK_ERROR_MESSAGE}, which no application handler takes.
     *
     * @param status the exception's HTTP status
     * @return the path; {@code /kit/http-error/<status>} unless overridden
     */
    protected String frameworkErrorPath(int status) {
        return "/kit/http-error/" + status;
    }

    /**
     * The path of a route that answers with the current request ID ({@code none} when absent).
     *
     * @return the path
     */
    protected String requestIdPath() {
        return "/kit/request-id";
    }

    @AfterEach
    void stopServerAndCountSummaries() {
        assertNoMoreSummaries();
    }

    /** Contract section 1: endpoints. */
    @Nested
    @DisplayName("Contract section 1: endpoints")
    class Section1Endpoints {


        @Test
        void lbheartbeatAnswers200WithEmptyBodyAndNoStore() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__lbheartbeat__");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEmpty();
            assertThat(header(response, "Cache-Control")).contains("no-store");
            assertSummary(oneSummary(), "GET", "/__lbheartbeat__", 200);
        }

        @Test
        void lbheartbeatRunsNoCheck() throws Exception {
            serve(config -> { });
            get("/__lbheartbeat__");
            oneSummary();
            assertThat(checkRuns).hasValue(0);
        }


        @Test
        void versionAnswersTheVersionJson() throws Exception {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("source", "https://example.invalid/repo");
            members.put("version", "1.2.3");
            members.put("commit", "0123abcd");
            members.put("build", "https://ci.example.invalid/42");
            members.put("extra", List.of(1, 2));
            version.set(VersionProvider.of(VersionInfo.of(members)));
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__version__");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.valueToTree(members));
            assertSummary(oneSummary(), "GET", "/__version__", 200);
        }

        @Test
        void versionAnswers404WhenThereIsNone() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__version__");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(text(response)).isEqualTo("version.json not found");
            assertSummary(oneSummary(), "GET", "/__version__", 404);
        }

        @Test
        void versionAnswers500WithAOneLineJsonErrorWhenTheFileIsNotAnObject() throws Exception {
            Path file = Files.writeString(tempDir.resolve("version.json"), "[\"not\", \"an object\"]");
            version.set(VersionProvider.fromFile(file));
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__version__");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(header(response, "Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            String body = text(response);
            assertThat(body).doesNotContain("\n").doesNotContain(tempDir.toString()).doesNotContain("Exception");
            JsonNode json = JSON.readTree(body);
            assertThat(json.size()).isEqualTo(1);
            assertThat(json.get("error").isTextual()).isTrue();
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", "/__version__", 500);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
        }

        @Test
        void errorEndpointRaisesWhenEnabled() throws Exception {
            serve(config -> config.errorEndpointEnabled(true));
            HttpResponse<byte[]> response = get("/__error__");
            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", "/__error__", 500);
            assertThat(summary.at("/Fields/errno").asInt()).isEqualTo(500);
            assertThat(summary.get("Severity").asInt()).isEqualTo(3);
            assertThat(summary.at("/Fields/msg").asText()).isEqualTo("The __error__ endpoint was called");
            // the framework's 500 still carries the request-ID echo, the one its summary names
            assertThat(header(response, "X-Request-ID")).contains(summary.at("/Fields/rid").asText());
        }

        @Test
        void errorEndpointIsAnUnknownPathWhenDisabled() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__error__");
            assertThat(response.statusCode()).isEqualTo(404);
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", "/__error__", 404);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
        }

        @Test
        void otherMethodsAnswer405WithAllow() throws Exception {
            serve(config -> config.errorEndpointEnabled(true));
            Map<String, String> allow = Map.of("/__lbheartbeat__", "GET, HEAD", "/__version__", "GET, HEAD",
                    "/__heartbeat__", "GET, HEAD", "/__error__", "GET");
            int sent = 0;
            for (Map.Entry<String, String> endpoint : allow.entrySet()) {
                for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
                    HttpRequest.BodyPublisher body = Set.of("POST", "PUT", "PATCH").contains(method)
                            ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
                    HttpResponse<byte[]> response = send(request(endpoint.getKey()).method(method, body));
                    assertThat(response.statusCode()).as(method + " " + endpoint.getKey()).isEqualTo(405);
                    assertThat(header(response, "Allow")).as(method + " " + endpoint.getKey()).contains(endpoint.getValue());
                    sent++;
                }
            }
            HttpResponse<byte[]> headError = send(request("/__error__").method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertThat(headError.statusCode()).isEqualTo(405);
            assertThat(header(headError, "Allow")).contains("GET");
            sent++;
            assertThat(summaries(sent)).allSatisfy(s -> {
                assertThat(s.at("/Fields/code").asInt()).isEqualTo(405);
                assertThat(s.at("/Fields/errno").asInt()).isZero();
            });
        }
    }

    /** Contract section 2: heartbeat. */
    @Nested
    @DisplayName("Contract section 2: heartbeat")
    class Section2Heartbeat {


        @Test
        void heartbeatAnswers200WhenEveryCheckPasses() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(header(response, "Cache-Control")).contains("no-store");
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"status\":\"ok\",\"checks\":{\"kit\":\"ok\"},\"details\":{}}"));
            assertThat(checkRuns).hasValue(1);
            assertSummary(oneSummary(), "GET", "/__heartbeat__", 200);
        }

        @Test
        void heartbeatAnswers200WithDetailsWhenTheWorstIsAWarning() throws Exception {
            check.set(() -> List.of(CheckMessage.warning("kit.health.W001", "slow")));
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"warning\","
                    + "\"checks\":{\"kit\":\"warning\"},\"details\":{\"kit\":{\"status\":\"warning\",\"level\":30,"
                    + "\"messages\":{\"kit.health.W001\":\"slow\"}}}}"));
            oneSummary();
        }

        @Test
        void heartbeatAnswers500WhenACheckErrors() throws Exception {
            check.set(() -> List.of(CheckMessage.error("kit.health.E001", "down")));
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(header(response, "Cache-Control")).contains("no-store");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status").asText()).isEqualTo("error");
            assertThat(body.at("/details/kit/level").asInt()).isEqualTo(40);
            assertThat(body.at("/details/kit/messages/kit.health.E001").asText()).isEqualTo("down");
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", "/__heartbeat__", 500);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
            assertThat(summary.get("Severity").asInt()).isEqualTo(6);
        }

        @Test
        void heartbeatAnswersTheConfiguredFailedStatus() throws Exception {
            check.set(() -> List.of(CheckMessage.critical("kit.health.E002", "gone")));
            serve(config -> config.heartbeatFailedStatusCode(503));
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("critical");
            assertSummary(oneSummary(), "GET", "/__heartbeat__", 503);
        }

        @Test
        void heartbeatWithDetailsHiddenAnswersTheStatusAlone() throws Exception {
            check.set(() -> List.of(CheckMessage.error("kit.health.E001", "secret detail")));
            serve(config -> config.heartbeatShowDetails(false));
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"error\"}"));
            oneSummary();
        }

        @Test
        void heartbeatReportsAThrowingCheckWithoutFailingTheRequest() throws Exception {
            check.set(() -> {
                throw new IOException("backend refused");
            });
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__heartbeat__");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(response.body()).at("/details/kit/messages/dockerflow.health.E012").asText())
                    .isEqualTo("Check failed: IOException: backend refused");
            JsonNode summary = oneSummary();
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
            assertThat(summary.at("/Fields").has("msg")).isFalse();
        }

        @Test
        void summaryTimeCoversTheWholeRequest() throws Exception {
            check.set(() -> {
                Thread.sleep(150);
                return List.of();
            });
            serve(config -> { });
            assertThat(get("/__heartbeat__").statusCode()).isEqualTo(200);
            assertThat(oneSummary().at("/Fields/t").asLong()).isBetween(150L, 10_000L);
        }

        @Test
        void concurrentHeartbeatsShareCheckRuns() throws Exception {
            check.set(() -> {
                Thread.sleep(100);
                return List.of();
            });
            serve(config -> { });
            int requests = 200;
            List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(http.sendAsync(request("/__heartbeat__").GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (CompletableFuture<HttpResponse<byte[]>> future : futures) {
                HttpResponse<byte[]> response = future.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("ok");
            }
            assertThat(checkRuns.get()).isBetween(1, requests / 4);
            List<JsonNode> summaries = summaries(requests);
            assertThat(summaries).allSatisfy(s -> assertSummary(s, "GET", "/__heartbeat__", 200));
            assertThat(summaries.stream().map(s -> s.at("/Fields/rid").asText()).distinct()).hasSize(requests);
        }
    }

    /** Contract section 4: request summaries. */
    @Nested
    @DisplayName("Contract section 4: request summaries")
    class Section4Summaries {


        @Test
        void summaryOfAnApplicationRouteHasEveryField() throws Exception {
            serve(config -> { });
            long before = nowNanos();
            HttpResponse<byte[]> response = send(request(okPath()).header("User-Agent", "kit-agent/1.0")
                    .header("Accept-Language", "fr-CA").header(USER_HEADER, "alice").GET());
            long after = nowNanos();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(text(response)).isEqualTo("ok");
            JsonNode summary = oneSummary();
            assertThat(fieldNames(summary)).containsExactlyInAnyOrder("Timestamp", "Type", "Logger", "Hostname",
                    "EnvVersion", "Severity", "Pid", "Fields");
            assertThat(summary.get("Timestamp").isIntegralNumber()).isTrue();
            assertThat(summary.get("Timestamp").asLong()).isBetween(before - 1_000_000_000L, after + 5_000_000_000L);
            assertThat(summary.get("Type").asText()).isEqualTo("request.summary");
            assertThat(summary.get("Logger").asText()).isEqualTo("Dockerflow");
            assertThat(summary.get("Hostname").isTextual()).isTrue();
            assertThat(summary.get("EnvVersion").asText()).isEqualTo("2.0");
            assertThat(summary.get("Severity").asInt()).isEqualTo(6);
            assertThat(summary.get("Pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            JsonNode fields = summary.get("Fields");
            assertThat(fieldNames(fields)).containsExactlyInAnyOrderElementsOf(STANDARD_FIELDS);
            assertThat(fields.get("agent").asText()).isEqualTo("kit-agent/1.0");
            assertThat(fields.get("lang").asText()).isEqualTo("fr-CA");
            assertThat(fields.get("method").asText()).isEqualTo("GET");
            assertThat(fields.get("path").asText()).isEqualTo(okPath());
            assertThat(fields.get("code").asInt()).isEqualTo(200);
            assertThat(fields.get("errno").asInt()).isZero();
            assertThat(fields.get("t").isIntegralNumber()).isTrue();
            assertThat(fields.get("t").asLong()).isBetween(0L, 10_000L);
            assertThat(fields.get("rid").asText()).isEqualTo(header(response, "X-Request-ID").orElseThrow());
            assertThat(fields.get("uid").asText()).isEqualTo("alice");
        }

        @Test
        void summaryOfAnAnonymousRequestHasEmptyLangAndUid() throws Exception {
            serve(config -> { });
            send(request(okPath()).GET());
            JsonNode fields = oneSummary().get("Fields");
            assertThat(fields.get("uid").asText()).isEmpty();
            assertThat(fields.get("lang").asText()).isEmpty();
        }

        @Test
        void uidComesFromTheUserIdHookWhenSet() throws Exception {
            serveWith(config -> { }, builder -> builder.userId(view -> "hooked:" + view.principalName().orElse("anonymous")));
            send(request(okPath()).header(USER_HEADER, "bob").GET());
            assertThat(oneSummary().at("/Fields/uid").asText()).isEqualTo("hooked:bob");
            send(request(okPath()).GET());
            assertThat(oneSummary().at("/Fields/uid").asText()).isEqualTo("hooked:anonymous");
        }

        @Test
        void summaryCarriesTheApplicationsExtraFieldsButNeverLosesAStandardOne() throws Exception {
            serveWith(config -> { }, builder -> builder.summaryExtra(view -> Map.of("tenant", "t1", "code", 999)));
            send(request(okPath()).GET());
            JsonNode fields = oneSummary().get("Fields");
            assertThat(fields.get("tenant").asText()).isEqualTo("t1");
            assertThat(fields.get("code").asInt()).isEqualTo(200);
        }

        @Test
        void summaryUsesTheConfiguredLoggerName() throws Exception {
            serve(config -> config.loggerName("kit-service"));
            get("/__lbheartbeat__");
            assertThat(oneSummary().get("Logger").asText()).isEqualTo("kit-service");
        }


        @Test
        void querystringIsLeftOutByDefault() throws Exception {
            serve(config -> { });
            send(request(okPath() + "?q=a%20b&name=%C3%A9t%C3%A9").GET());
            JsonNode fields = oneSummary().get("Fields");
            assertThat(fields.has("querystring")).isFalse();
            assertThat(fields.get("path").asText()).isEqualTo(okPath());
        }

        @Test
        void querystringIsEmptyWhenEnabledAndTheRequestHasNone() throws Exception {
            serve(config -> config.summaryLogQuerystring(true));
            send(request(okPath()).GET());
            assertThat(oneSummary().at("/Fields/querystring").isTextual()).isTrue();
            send(request(okPath()).GET());
            assertThat(oneSummary().at("/Fields/querystring").asText()).isEmpty();
        }

        @Test
        void querystringIsPercentDecodedWhenEnabled() throws Exception {
            serve(config -> config.summaryLogQuerystring(true));
            send(request(okPath() + "?q=a%20b&name=%C3%A9t%C3%A9").GET());
            JsonNode fields = oneSummary().get("Fields");
            assertThat(fields.get("querystring").asText()).isEqualTo("q=a b&name=\u00e9t\u00e9");
            assertThat(fields.get("path").asText()).isEqualTo(okPath());
        }
    }

    /** Contract section 4: request IDs. */
    @Nested
    @DisplayName("Contract section 4: request IDs")
    class Section4RequestIds {


        @Test
        void validRequestIdIsEchoedSeenByTheApplicationAndSummarized() throws Exception {
            serve(config -> { });
            String id = "Abc-123_x.y:z";
            HttpResponse<byte[]> response = send(request(requestIdPath()).header("X-Request-ID", id).GET());
            assertThat(header(response, "X-Request-ID")).contains(id);
            assertThat(text(response)).isEqualTo(id);
            assertThat(oneSummary().at("/Fields/rid").asText()).isEqualTo(id);
        }

        @Test
        void longestValidRequestIdIsKept() throws Exception {
            serve(config -> { });
            String id = "a".repeat(128);
            HttpResponse<byte[]> response = send(request(requestIdPath()).header("X-Request-ID", id).GET());
            assertThat(header(response, "X-Request-ID")).contains(id);
            oneSummary();
        }

        @Test
        void invalidRequestIdIsReplacedByANewUuid() throws Exception {
            serve(config -> { });
            List<String> invalid = List.of("a".repeat(129), "has space", "quote\"d", "angle<bracket>", "tab\tbed",
                    "per%cent");
            for (String id : invalid) {
                HttpResponse<byte[]> response = send(request(requestIdPath()).header("X-Request-ID", id).GET());
                String echoed = header(response, "X-Request-ID").orElseThrow();
                assertThat(echoed).as(id).matches(UUID);
                assertThat(text(response)).isEqualTo(echoed);
                assertThat(nextSummary().at("/Fields/rid").asText()).isEqualTo(echoed);
            }
            assertNoMoreSummaries();
        }

        @Test
        void traceIdsOfOtherSystemsAreKeptAndEchoed() throws Exception {
            serve(config -> config.requestIdHeaderName("X-Cloud-Trace-Context"));
            for (String id : List.of("105445aa7843bc8bf206b120001000/1;o=1",
                    "Root=1-67891233-abcdef012345678912345678;Sampled=1",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
                HttpResponse<byte[]> response = send(request(requestIdPath()).header("X-Cloud-Trace-Context", id).GET());
                assertThat(header(response, "X-Cloud-Trace-Context")).as(id).contains(id);
                assertThat(text(response)).isEqualTo(id);
                assertThat(nextSummary().at("/Fields/rid").asText()).isEqualTo(id);
            }
        }

        @Test
        void missingRequestIdIsGenerated() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/__lbheartbeat__");
            String echoed = header(response, "X-Request-ID").orElseThrow();
            assertThat(echoed).matches(UUID);
            assertThat(oneSummary().at("/Fields/rid").asText()).isEqualTo(echoed);
        }

        @Test
        void requestIdHeaderNameIsConfigurable() throws Exception {
            serve(config -> config.requestIdHeaderName("X-Correlation-ID"));
            HttpResponse<byte[]> response = send(request(requestIdPath()).header("X-Correlation-ID", "corr-1")
                    .header("X-Request-ID", "ignored-1").GET());
            assertThat(header(response, "X-Correlation-ID")).contains("corr-1");
            assertThat(text(response)).isEqualTo("corr-1");
            assertThat(oneSummary().at("/Fields/rid").asText()).isEqualTo("corr-1");
        }

        @Test
        void requestIdNeverLeaksToTheNextRequest() throws Exception {
            serve(config -> { });
            for (int i = 0; i < 30; i++) {
                HttpResponse<byte[]> withId = send(request(requestIdPath()).header("X-Request-ID", "leak-" + i).GET());
                assertThat(text(withId)).isEqualTo("leak-" + i);
                HttpResponse<byte[]> without = get(requestIdPath());
                String echoed = header(without, "X-Request-ID").orElseThrow();
                assertThat(echoed).matches(UUID);
                assertThat(text(without)).isEqualTo(echoed);
                HttpResponse<byte[]> failed = send(request(unhandledExceptionPath()).header("X-Request-ID", "boom-" + i).GET());
                assertThat(failed.statusCode()).isEqualTo(500);
            }
            List<JsonNode> summaries = summaries(90);
            assertThat(summaries).allSatisfy(s -> assertThat(s.at("/Fields/rid").asText()).isNotBlank());
        }
    }

    /** Contract section 4: hostile requests keep one valid line. */
    @Nested
    @DisplayName("Contract section 4: hostile requests keep one valid line")
    class Section4HostileRequests {


        @Test
        void controlCharactersInThePathKeepTheSummaryOneLine() throws Exception {
            serve(config -> { });
            RawResponse response = raw("GET /kit%0Ainjected%0D%0A%22quoted%22%5C HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(404);
            JsonNode summary = oneSummary();
            assertThat(summary.at("/Fields/path").asText()).isEqualTo("/kit%0Ainjected%0D%0A%22quoted%22%5C");
            assertThat(summary.at("/Fields/code").asInt()).isEqualTo(404);
        }

        @Test
        void headerInjectionAttemptsStayInsideTheirFields() throws Exception {
            serve(config -> config.summaryLogQuerystring(true));
            RawResponse response = raw("GET " + okPath() + "?x=%0D%0A%7B%22Type%22%3A1%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "User-Agent: evil\"}\\ \t{\"Fields\":1}\r\n"
                    + "Accept-Language: %0D%0AX-Injected: yes\r\n"
                    + "X-Request-ID: abc%0D%0AX-Injected: yes\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).doesNotContainKey("x-injected");
            assertThat(response.headers().get("x-request-id")).matches(UUID);
            JsonNode summary = oneSummary();
            assertThat(summary.at("/Fields/agent").asText()).isEqualTo("evil\"}\\ \t{\"Fields\":1}");
            assertThat(summary.at("/Fields/lang").asText()).isEqualTo("%0D%0AX-Injected: yes");
            assertThat(summary.at("/Fields/querystring").asText()).isEqualTo("x=\r\n{\"Type\":1}");
            assertThat(summary.get("Type").asText()).isEqualTo("request.summary");
        }

        @Test
        void longHeaderValuesAreCutInTheSummary() throws Exception {
            serve(config -> { });
            String agent = "A".repeat(8 * 1024);
            RawResponse response = raw("GET " + okPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + agent
                    + "\r\nAccept-Language: " + "b".repeat(4000) + "\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            JsonNode fields = oneSummary().get("Fields");
            assertThat(fields.get("agent").asText()).isEqualTo("A".repeat(1024));
            assertThat(fields.get("lang").asText()).isEqualTo("b".repeat(1024));
        }

        @Test
        void invalidUtf8InThePathKeepsTheSummaryValid() throws Exception {
            serve(config -> { });
            RawResponse encoded = raw("GET /kit-bytes/%FF%FE%C3%28 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(encoded.status()).isEqualTo(404);
            assertThat(oneSummary().at("/Fields/path").asText()).isEqualTo("/kit-bytes/%FF%FE%C3%28");
            ByteArrayOutputStream rawBytes = new ByteArrayOutputStream();
            rawBytes.writeBytes("GET /kit-bytes/".getBytes(StandardCharsets.US_ASCII));
            rawBytes.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28});
            rawBytes.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawResponse bytes = raw(rawBytes.toByteArray());
            assertThat(bytes.status()).isEqualTo(404);
            assertThat(oneSummary().at("/Fields/path").asText()).startsWith("/kit-bytes/");
        }

        @Test
        void nonAsciiHeaderValuesAreEscapedNotDropped() throws Exception {
            serve(config -> { });
            byte[] request = ("GET " + okPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: caf\u00e9 \u00fc\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            RawResponse response = raw(request);
            assertThat(response.status()).isEqualTo(200);
            String agent = oneSummary().at("/Fields/agent").asText();
            assertThat(agent).startsWith("caf").hasSize(6);
        }
    }

    /** Contract section 7: adapters copy, the core decides. */
    @Nested
    @DisplayName("Contract section 7: adapters copy, the core decides")
    class Section7Adapters {

        @Test
        void headAnswersCarryTheGetStatusAndHeadersWithoutBody() throws Exception {
            version.set(VersionProvider.of(VersionInfo.of(Map.of("version", "1.2.3"))));
            serve(config -> { });
            for (String path : List.of("/__lbheartbeat__", "/__version__", "/__heartbeat__")) {
                HttpResponse<byte[]> get = get(path);
                HttpResponse<byte[]> head = send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
                assertThat(head.body()).as(path).isEmpty();
                for (String name : List.of("Content-Type", "Cache-Control")) {
                    assertThat(header(head, name)).as(path + " " + name).isEqualTo(header(get, name));
                }
                assertThat(header(head, "X-Request-ID")).as(path + " request-ID echo").isPresent();
                assertThat(header(head, "Content-Length")).as(path + " Content-Length")
                        .isEqualTo(Optional.of(String.valueOf(get.body().length)));
                // a summary is written once its answer is sent, so the two may come in either order
                List<JsonNode> pair = summaries(2);
                boolean getFirst = pair.get(0).at("/Fields/method").asText().equals("GET");
                assertSummary(pair.get(getFirst ? 0 : 1), "GET", path, get.statusCode());
                assertSummary(pair.get(getFirst ? 1 : 0), "HEAD", path, head.statusCode());
            }
            assertNoMoreSummaries();
        }
        @Test
        void unknownPathAnswers404WithOneSummary() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get("/kit-no-such-path/x");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(header(response, "X-Request-ID")).isPresent();
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", "/kit-no-such-path/x", 404);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
            assertThat(summary.get("Severity").asInt()).isEqualTo(6);
        }

        @Test
        void unhandledExceptionAnswers500AndIsSummarizedAsAnError() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = send(request(unhandledExceptionPath()).header("X-Request-ID", "unhandled-1").GET());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(text(response)).doesNotContain(UNHANDLED_MESSAGE);
            assertThat(header(response, "X-Request-ID")).as("request-ID echo on the framework's own 500").contains("unhandled-1");
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", unhandledExceptionPath(), 500);
            assertThat(summary.at("/Fields/errno").asInt()).isEqualTo(500);
            assertThat(summary.get("Severity").asInt()).isEqualTo(3);
            assertThat(summary.at("/Fields/msg").asText()).isEqualTo(UNHANDLED_MESSAGE);
        }

        @Test
        void exceptionTheApplicationMapsIsSummarizedAsHandled() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get(mappedExceptionPath());
            assertThat(response.statusCode()).isEqualTo(MAPPED_STATUS);
            assertThat(header(response, "X-Request-ID")).isPresent();
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", mappedExceptionPath(), MAPPED_STATUS);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
            assertThat(summary.get("Severity").asInt()).isEqualTo(6);
            assertThat(summary.at("/Fields").has("msg")).isFalse();
        }

        @Test
        void frameworkHttpExceptionWithA5xxStatusIsRaised() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get(frameworkErrorPath(503));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(header(response, "X-Request-ID")).isPresent();
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", frameworkErrorPath(503), 503);
            assertThat(summary.at("/Fields/errno").asInt()).isEqualTo(500);
            assertThat(summary.get("Severity").asInt()).isEqualTo(3);
            assertThat(summary.at("/Fields/msg").asText()).isEqualTo(FRAMEWORK_ERROR_MESSAGE);
        }

        @Test
        void frameworkHttpExceptionWithA4xxStatusIsAnOrdinaryAnswer() throws Exception {
            serve(config -> { });
            HttpResponse<byte[]> response = get(frameworkErrorPath(422));
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(header(response, "X-Request-ID")).isPresent();
            JsonNode summary = oneSummary();
            assertSummary(summary, "GET", frameworkErrorPath(422), 422);
            assertThat(summary.at("/Fields/errno").asInt()).isZero();
            assertThat(summary.get("Severity").asInt()).isEqualTo(6);
            assertThat(summary.at("/Fields").has("msg")).isFalse();
        }

        @Test
        void everyKindOfRequestIsSummarizedExactlyOnce() throws Exception {
            serve(config -> config.errorEndpointEnabled(true));
            List<String> paths = List.of("/__lbheartbeat__", "/__heartbeat__", "/__version__", "/__error__", okPath(),
                    unhandledExceptionPath(), mappedExceptionPath(), requestIdPath(), "/kit-missing",
                    frameworkErrorPath(503), frameworkErrorPath(422));
            List<String> rids = new ArrayList<>();
            for (String path : paths) {
                rids.add(send(request(path).header("X-Request-ID", "once-" + rids.size()).GET()).headers()
                        .firstValue("X-Request-ID").orElse("once-" + rids.size()));
            }
            List<JsonNode> summaries = summaries(paths.size());
            assertNoMoreSummaries();
            assertThat(summaries.stream().map(s -> s.at("/Fields/path").asText()))
                    .containsExactlyInAnyOrderElementsOf(paths);
            assertThat(summaries.stream().map(s -> s.at("/Fields/rid").asText())).containsExactlyInAnyOrderElementsOf(rids);
        }
    }


    /**
     * Contract section 7: a heartbeat storm never delays {@code /__lbheartbeat__} or the
     * application, even when the runtime has few threads to run requests on.
     */
    @Nested
    @DisplayName("Contract section 7: a heartbeat storm on a fixed pool of request threads")
    class Section7HeartbeatStorm {

        private static final int POOL_THREADS = 4;
        private static final int STORM = 50;
        private static final int PROBES = 20;
        private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
        private static final Duration PROBE_LIMIT = Duration.ofMillis(200);
        private static final Duration WARM_UP_CHECK = Duration.ofMillis(100);

        @Test
        void heartbeatStormNeverDelaysLbheartbeatOrTheApplication() throws Exception {
            CountDownLatch released = new CountDownLatch(1);
            CountDownLatch checkStarted = new CountDownLatch(1);
            AtomicBoolean hang = new AtomicBoolean();
            check.set(() -> {
                if (hang.get()) {
                    checkStarted.countDown();
                    awaitIgnoringInterrupts(released);
                } else {
                    Thread.sleep(WARM_UP_CHECK.toMillis());
                }
                return List.of();
            });
            serveOnFixedPool(config -> config.checkTimeout(CHECK_TIMEOUT), POOL_THREADS);
            List<PendingAnswer> heartbeats = new ArrayList<>();
            try {
                // a fresh server loads and compiles code on its first requests: a storm whose check
                // is merely slow warms it up, as any server in production is; the next one is measured
                for (int i = 0; i <= STORM; i++) {
                    heartbeats.add(PendingAnswer.send(server.port(), "/__heartbeat__"));
                }
                for (int i = 0; i < PROBES; i++) {
                    for (String path : List.of("/__lbheartbeat__", okPath())) {
                        assertThat(PendingAnswer.send(server.port(), path).await().status()).as(path).isEqualTo(200);
                    }
                }
                for (PendingAnswer heartbeat : heartbeats) {
                    assertThat(heartbeat.await().status()).isEqualTo(200);
                }
                heartbeats.clear();
                summaries(1 + STORM + 2 * PROBES);
                checkRuns.set(0);
                hang.set(true);

                heartbeats.add(PendingAnswer.send(server.port(), "/__heartbeat__"));
                assertThat(checkStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the check started").isTrue();
                // every request of the storm is on the wire before the first probe
                for (int i = 0; i < STORM; i++) {
                    heartbeats.add(PendingAnswer.send(server.port(), "/__heartbeat__"));
                }
                for (int i = 0; i < PROBES; i++) {
                    for (String path : List.of("/__lbheartbeat__", okPath())) {
                        TimedAnswer probe = PendingAnswer.send(server.port(), path).await();
                        assertThat(probe.status()).as(path).isEqualTo(200);
                        assertThat(probe.took()).as("%s answered during a heartbeat storm", path).isLessThanOrEqualTo(PROBE_LIMIT);
                    }
                }
                assertThat(heartbeats).as("heartbeats still waiting for the check while the probes were answered")
                        .noneMatch(PendingAnswer::answered);
                for (PendingAnswer heartbeat : heartbeats) {
                    TimedAnswer answer = heartbeat.await();
                    assertThat(answer.status()).as("heartbeat with a check past its timeout").isEqualTo(500);
                    assertThat(answer.took()).as("heartbeat answered within the check timeout and a second")
                            .isLessThanOrEqualTo(CHECK_TIMEOUT.plusSeconds(1));
                }
                assertThat(checkRuns.get()).as("check runs for %d heartbeats", STORM + 1).isBetween(1, 2);
                assertThat(summaries(1 + STORM + 2 * PROBES)).allSatisfy(s -> assertThat(s.at("/Fields/rid").asText()).isNotEmpty());
            } finally {
                released.countDown();
                for (PendingAnswer heartbeat : heartbeats) {
                    heartbeat.close();
                }
            }
        }
    }

    /**
     * Starts the server with the kit's Dockerflow, its configuration adjusted by {@code config}.
     */
    private void serve(Consumer<DockerflowConfig.Builder> config) throws Exception {
        serveWith(config, builder -> { });
    }

    private void serveWith(Consumer<DockerflowConfig.Builder> config, Consumer<Dockerflow.Builder> more) throws Exception {
        server = start(kitDockerflow(config, more));
    }

    private Dockerflow kitDockerflow(Consumer<DockerflowConfig.Builder> config, Consumer<Dockerflow.Builder> more) {
        DockerflowConfig.Builder settings = DockerflowConfig.builder().environment(Map.of());
        config.accept(settings);
        Dockerflow.Builder builder = Dockerflow.builder()
                .config(settings.build())
                .check(CHECK_NAME, () -> {
                    checkRuns.incrementAndGet();
                    return check.get().run();
                })
                .versionProvider(() -> version.get().version())
                .summarySink(RequestSummarySink.lines(line -> {
                    lines.add(line);
                    arrivals.release();
                }));
        more.accept(builder);
        return builder.build();
    }

    private void serveOnFixedPool(Consumer<DockerflowConfig.Builder> config, int threads) throws Exception {
        server = startWithFixedPool(kitDockerflow(config, builder -> { }), threads);
    }

    /** The status of an answer to {@code path}, and how long it took. */
    private record TimedAnswer(String path, int status, Duration took) {
    }

    /**
     * A {@code GET} already written on its own connection, whose answer is read on a
     * virtual thread; timed from before connecting until the answer's headers are in.
     */
    private static final class PendingAnswer implements AutoCloseable {
        private final Socket socket;
        private final CompletableFuture<TimedAnswer> answer = new CompletableFuture<>();

        private PendingAnswer(Socket socket) {
            this.socket = socket;
        }

        static PendingAnswer send(int port, String path) throws IOException {
            long start = System.nanoTime();
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            PendingAnswer pending = new PendingAnswer(socket);
            try {
                socket.setSoTimeout((int) WAIT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    int status = readHead(socket.getInputStream()).status();
                    pending.answer.complete(new TimedAnswer(path, status, Duration.ofNanos(System.nanoTime() - start)));
                } catch (IOException | RuntimeException | AssertionError e) {
                    pending.answer.completeExceptionally(e);
                }
            });
            return pending;
        }

        boolean answered() {
            return answer.isDone();
        }

        TimedAnswer await() throws Exception {
            try {
                return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                close();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Waits as a backend that ignores interruption does. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(WAIT);
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return send(request(path).GET());
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static void assertSummary(JsonNode summary, String method, String path, int code) {
        assertThat(summary.get("Type").asText()).isEqualTo("request.summary");
        JsonNode fields = summary.get("Fields");
        assertThat(fields.get("method").asText()).isEqualTo(method);
        assertThat(fields.get("path").asText()).isEqualTo(path);
        assertThat(fields.get("code").asInt()).isEqualTo(code);
        assertThat(fields.get("rid").asText()).isNotEmpty();
        assertThat(fields.get("t").isIntegralNumber()).isTrue();
        assertThat(fieldNames(fields)).containsAll(STANDARD_FIELDS);
    }

    /**
     * Waits for the one summary the last request writes. That no other follows is checked
     * when the test ends (or at {@link #assertNoMoreSummaries()}), once the server has stopped.
     */
    private JsonNode oneSummary() throws Exception {
        return nextSummary();
    }

    /** The next summary line not yet looked at, waiting for it; it must be one line of JSON. */
    private JsonNode nextSummary() throws Exception {
        return summaries(1).get(0);
    }

    private List<JsonNode> summaries(int count) throws Exception {
        assertThat(arrivals.tryAcquire(count, WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("%d summary lines written within %s", count, WAIT).isTrue();
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines.subList(linesSeen, linesSeen + count)) {
            assertThat(line).doesNotContain("\n").doesNotContain("\r");
            parsed.add(JSON.readTree(line));
        }
        linesSeen += count;
        return parsed;
    }

    /**
     * No summary line beyond those looked at: stops the server, which lets every request in
     * flight finish, so a second summary of any request would be written by then.
     */
    private void assertNoMoreSummaries() {
        if (server != null) {
            server.close();
            server = null;
        }
        List<String> all = List.copyOf(lines);
        assertThat(all.subList(linesSeen, all.size())).as("summary lines beyond one per request").isEmpty();
    }

    private RawResponse raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes as they are over a new connection and reads the answer until the server closes it. */
    private RawResponse raw(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return readHead(socket.getInputStream());
        }
    }

    /** Reads an answer until its headers are complete (or the server closes the connection). */
    private static RawResponse readHead(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            answer.write(buffer, 0, n);
            if (headersComplete(answer)) {
                break;
            }
        }
        return RawResponse.parse(answer.toString(StandardCharsets.ISO_8859_1));
    }

    private static boolean headersComplete(ByteArrayOutputStream answer) {
        return answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
    }

    /** Status and headers (lower-case names) of a raw HTTP answer. */
    private record RawResponse(int status, Map<String, String> headers) {
        static RawResponse parse(String text) {
            String head = text.contains("\r\n\r\n") ? text.substring(0, text.indexOf("\r\n\r\n")) : text;
            String[] headLines = head.split("\r\n");
            assertThat(headLines[0]).startsWith("HTTP/1.");
            int status = Integer.parseInt(headLines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < headLines.length; i++) {
                int colon = headLines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(headLines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            headLines[i].substring(colon + 1).trim());
                }
            }
            return new RawResponse(status, headers);
        }
    }
}
