package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitServer;
import jakarta.servlet.AsyncContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit, and what is particular to servlet containers, against one container:
 * each subclass names it. The application is {@link KitApplication}; the filter is registered
 * as code registers it, except where a test says otherwise.
 */
abstract class ServletContainerTest extends DockerflowConformanceKit {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    private final SummaryLines summaries = new SummaryLines();

    /** The container under test. */
    abstract ServletContainer container();

    @Override
    protected KitServer start(Dockerflow dockerflow) throws Exception {
        return container().start(0, KitApplication.with(DockerflowFilter.create(dockerflow).withFrameworkStatus(KitHttpException::statusOf)));
    }

    @Override
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) throws Exception {
        return container().start(threads, KitApplication.with(DockerflowFilter.create(dockerflow).withFrameworkStatus(KitHttpException::statusOf)));
    }

    /**
     * Contract section 5, wired as the README says: the container's own stop drains first.
     * While a client keeps sending, {@code /__lbheartbeat__} turns to {@code 503} and every
     * application request is still answered {@code 200} while the stop is under way; then the
     * server stops, the Dockerflow is closed, and every answered request has one summary.
     */
    @Test
    void stoppingTheContainerDrainsBeforeTheConnectorsStopThenClosesDockerflow() throws Exception {
        int afterDrain = 5;
        CountDownLatch closed = new CountDownLatch(1);
        RequestSummarySink lines = summaries.sink();
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).shutdownDrain(Duration.ofSeconds(3)).build())
                .summarySink(new RequestSummarySink() {
                    @Override
                    public void write(dev.dockerflow.RequestSummary summary, dev.dockerflow.Mozlog mozlog) {
                        lines.write(summary, mozlog);
                    }

                    @Override
                    public void close() {
                        lines.close();
                        closed.countDown();
                    }
                })
                .build();
        KitServer server = container().start(ServletContainer.Options.defaults().withShutdownDrain(dockerflow),
                KitApplication.with(DockerflowFilter.create(dockerflow)));
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        List<String> answered = new ArrayList<>();
        List<String> duringDrain = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // warm: the drain meets a server whose code is loaded
                assertThat(answer(server, "/__lbheartbeat__", "before-" + i, answered).statusCode()).isEqualTo(200);
                assertThat(answer(server, "/kit/ok", "before-ok-" + i, answered).statusCode()).isEqualTo(200);
            }
            Thread.ofPlatform().name("stopping").start(() -> {
                try {
                    server.close();
                    stopped.complete(null);
                } catch (Throwable e) {
                    stopped.completeExceptionally(e);
                }
            });
            int sent = 0;
            // keeps sending until it has seen the drain and a few pairs of requests during it
            for (int i = 0; i < 10_000 && duringDrain.size() < 2 * afterDrain; i++) {
                HttpResponse<String> lb = answer(server, "/__lbheartbeat__", "lb-" + i, answered);
                if (lb.statusCode() == 503 || !duringDrain.isEmpty()) {
                    assertThat(lb.statusCode()).as("/__lbheartbeat__ once the drain started").isEqualTo(503);
                    assertThat(lb.headers().firstValue("Cache-Control")).hasValue("no-store");
                    assertThat(lb.body()).isEmpty();
                    duringDrain.add("lb-" + i);
                    HttpResponse<String> ok = answer(server, "/kit/ok", "ok-" + i, answered);
                    assertThat(ok.statusCode()).as("application request during the drain").isEqualTo(200);
                    assertThat(ok.body()).isEqualTo("ok");
                    duringDrain.add("ok-" + i);
                } else {
                    assertThat(lb.statusCode()).isEqualTo(200);
                    assertThat(answer(server, "/kit/ok", "ok-" + i, answered).statusCode()).isEqualTo(200);
                }
                sent = i;
            }
            assertThat(duringDrain).as("requests answered during the drain (of %d pairs sent)", sent + 1).hasSize(2 * afterDrain);
            assertThat(stopped).as("the server still runs after the requests answered during the drain").isNotDone();
            assertThat(closed.getCount()).as("Dockerflow still open during the drain").isEqualTo(1);
        } finally {
            server.close(); // no-op once stopped; ends a failed test's server
        }
        stopped.get(30, TimeUnit.SECONDS);
        assertThat(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("Dockerflow closed once the server stopped").isTrue();
        assertThat(dockerflow.isDraining()).isTrue();
        assertThatThrownBy(() -> http.send(request(server, "/__lbheartbeat__").GET().build(), HttpResponse.BodyHandlers.ofString()))
                .as("the server no longer accepts").isInstanceOf(java.io.IOException.class);
        List<JsonNode> written = summaries.next(answered.size());
        assertThat(written).extracting(s -> s.at("/Fields/rid").asText()).containsExactlyInAnyOrderElementsOf(answered);
        assertThat(summaries.unread()).as("summaries beyond one per answered request").isEmpty();
    }

    /** Sends {@code GET path} with a request ID, and notes the ID once answered. */
    private HttpResponse<String> answer(KitServer server, String path, String requestId, List<String> answered) throws Exception {
        HttpResponse<String> response = send(server, request(server, path).header("X-Request-ID", requestId).GET());
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue(requestId);
        answered.add(requestId);
        return response;
    }

    /**
     * A heartbeat storm (contract section 7: it never delays other requests), on a container
     * whose pool serving requests is fixed at 4 threads: while 51 heartbeats wait for a check
     * that blocks, load-balancer probes and application requests are answered at once.
     */
    @Test
    void heartbeatStormOnFourContainerThreadsDelaysNothingElse() throws Exception {
        Duration checkTimeout = Duration.ofMillis(2000);
        AtomicBoolean storming = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(51);
        HttpClient probes = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
        try (Dockerflow dockerflow = dockerflow(builder -> builder.check("blocking", checkTimeout, () -> {
            if (storming.get()) {
                runs.incrementAndGet();
                entered.countDown();
                release.await();
            }
            return List.of();
        })); KitServer server = container().start(4, KitApplication.with(context -> {
            // counts the heartbeats that reached the server, ahead of the Dockerflow filter
            jakarta.servlet.FilterRegistration.Dynamic counting = context.addFilter("arrivals", (request, response, chain) -> {
                if (storming.get() && ((jakarta.servlet.http.HttpServletRequest) request).getRequestURI().equals("/__heartbeat__")) {
                    arrived.countDown();
                }
                chain.doFilter(request, response);
            });
            counting.setAsyncSupported(true);
            counting.addMappingForUrlPatterns(null, false, "/*");
            DockerflowFilter.create(dockerflow).register(context);
        }, KitApplication.Front.APPLICATION))) {
            for (int i = 0; i < 3; i++) { // the first requests load classes; the storm meets a warm server
                send(probes, request(server, "/__lbheartbeat__"));
                send(probes, request(server, "/kit/ok"));
                get(server, "/__heartbeat__");
            }
            storming.set(true);
            List<Long> sentAt = new ArrayList<>();
            List<CompletableFuture<Long>> answeredAt = new ArrayList<>();
            sentAt.add(System.nanoTime());
            answeredAt.add(heartbeatAnsweredAt(server));
            assertThat(entered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the check started").isTrue();
            for (int i = 0; i < 50; i++) {
                sentAt.add(System.nanoTime());
                answeredAt.add(heartbeatAnsweredAt(server));
            }
            assertThat(arrived.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("all 51 heartbeats reached the server").isTrue();
            List<String> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                for (String path : List.of("/__lbheartbeat__", "/kit/ok")) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = send(probes, request(server, path));
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(response.statusCode()).as(path).isEqualTo(200);
                    if (millis > 200) {
                        slow.add(path + " #" + i + ": " + millis + " ms");
                    }
                }
            }
            assertThat(answeredAt.get(0)).as("the first heartbeat still waits for its check").isNotDone();
            assertThat(slow).as("requests answered after more than 200 ms during the storm").isEmpty();
            long limit = checkTimeout.plusSeconds(1).toNanos();
            for (int i = 0; i < answeredAt.size(); i++) {
                long took = answeredAt.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS) - sentAt.get(i);
                assertThat(took).as("heartbeat %d answered in %d ms", i, TimeUnit.NANOSECONDS.toMillis(took)).isLessThanOrEqualTo(limit);
            }
            assertThat(runs.get()).as("check runs").isBetween(1, 2);
        } finally {
            release.countDown();
        }
    }

    @Test
    void asynchronousRequestIsSummarizedOnceWhenItCompletesOnAnotherThread() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> { })) {
            KitApplication application = KitApplication.with(DockerflowFilter.create(dockerflow));
            try (KitServer server = container().start(0, application)) {
                CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                        request(server, "/kit/async-hold").header(USER_HEADER, "carol").GET().build(), HttpResponse.BodyHandlers.ofString());
                AsyncContext async = application.parked.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(async).as("the request went asynchronous").isNotNull();
                assertThat(summaries.unread()).as("no summary while the request is still open").isEmpty();
                Thread.ofPlatform().start(() -> {
                    try {
                        async.getResponse().setContentType("text/plain");
                        async.getResponse().getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        async.complete();
                    }
                }).join();
                assertThat(response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).body()).isEqualTo("held");
                JsonNode summary = summaries.next();
                assertThat(summary.at("/Fields/path").asText()).isEqualTo("/kit/async-hold");
                assertThat(summary.at("/Fields/code").asInt()).isEqualTo(200);
                assertThat(summary.at("/Fields/uid").asText()).isEqualTo("carol");
                assertThat(summary.at("/Fields/rid").asText()).isEqualTo(response.get().headers().firstValue("X-Request-ID").orElseThrow());
            }
            assertThat(summaries.unread()).isEmpty();
        }
    }

    @Test
    void asyncDispatchRunsWithTheRequestIdAndIsSummarizedOnce() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> { });
                KitServer server = container().start(0, KitApplication.with(DockerflowFilter.create(dockerflow)))) {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = send(server, request(server, "/kit/async-dispatch").header("X-Request-ID", "async-" + i));
                assertThat(response.body()).isEqualTo("dispatched async-" + i);
                HttpResponse<String> next = get(server, "/kit/request-id");
                assertThat(next.body()).as("no ID left on a container thread").isEqualTo(next.headers().firstValue("X-Request-ID").orElseThrow());
                List<JsonNode> two = summaries.next(2);
                assertThat(two).extracting(s -> s.at("/Fields/path").asText()).containsExactlyInAnyOrder("/kit/async-dispatch", "/kit/request-id");
                assertThat(two).extracting(s -> s.at("/Fields/rid").asText()).contains("async-" + i);
            }
            assertNoMoreSummariesOnceStopped(server);
        }
    }

    @Test
    void exceptionEscapingAnAsyncDispatchIsRaised() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> { });
                KitServer server = container().start(0, KitApplication.with(DockerflowFilter.create(dockerflow)))) {
            assertThat(get(server, "/kit/async-unhandled").statusCode()).isEqualTo(500);
            JsonNode summary = summaries.next();
            assertThat(summary.at("/Fields/code").asInt()).isEqualTo(500);
            assertThat(summary.at("/Fields/errno").asInt()).isEqualTo(500);
            assertThat(summary.at("/Fields/msg").asText()).isEqualTo("async: " + UNHANDLED_MESSAGE);
            assertNoMoreSummariesOnceStopped(server);
        }
    }

    @Test
    void errorPagesRunWithTheRequestIdAndAreNoSummaryOfTheirOwn() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> { })) {
            try (KitServer server = container().start(ServletContainer.Options.defaults().withErrorPages(),
                    KitApplication.with(DockerflowFilter.create(dockerflow)))) {
                HttpResponse<String> teapot = send(server, request(server, "/kit/teapot").header("X-Request-ID", "page-1"));
                assertThat(teapot.statusCode()).isEqualTo(ServletContainer.ERROR_PAGE_STATUS);
                assertThat(teapot.body()).isEqualTo("error page page-1");
                JsonNode handled = summaries.next();
                assertThat(handled.at("/Fields/code").asInt()).isEqualTo(ServletContainer.ERROR_PAGE_STATUS);
                assertThat(handled.at("/Fields/errno").asInt()).isZero();
                HttpResponse<String> mapped = send(server, request(server, "/kit/illegal-argument").header("X-Request-ID", "page-2"));
                assertThat(mapped.statusCode()).isEqualTo(500);
                assertThat(mapped.body()).isEqualTo("error page page-2");
                // escaped the filter chain: raised, whatever page the container then shows
                JsonNode raised = summaries.next();
                assertThat(raised.at("/Fields/code").asInt()).isEqualTo(500);
                assertThat(raised.at("/Fields/errno").asInt()).isEqualTo(500);
                assertThat(raised.at("/Fields/msg").asText()).isEqualTo("bad input");
            }
            assertThat(summaries.unread()).as("summaries beyond one per request").isEmpty();
        }
    }

    @Test
    void heartbeatOnAChainThatCannotGoAsyncIsAnsweredOnTheRequestThreadAndSaysWhyOnce() throws Exception {
        List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(DockerflowFilter.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        boolean parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        try (Dockerflow dockerflow = dockerflow(builder -> builder.check("quick", List::of));
                KitServer server = container().start(0, KitApplication.with(
                        // as web.xml declares a filter without <async-supported>
                        context -> DockerflowFilter.create(dockerflow).register(context).setAsyncSupported(false),
                        KitApplication.Front.APPLICATION))) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = get(server, "/__heartbeat__");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"quick\"");
            }
            assertThat(summaries.next(3)).allSatisfy(s -> assertThat(s.at("/Fields/code").asInt()).isEqualTo(200));
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getLevel()).isEqualTo(Level.WARNING);
            assertThat(warnings.get(0).getMessage()).contains("/__heartbeat__").contains("'dockerflow'").contains("async-supported");
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(parentHandlers);
        }
    }

    @Test
    void answersOfTheContainersOwnServletsAreSummarizedOnce() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> { });
                KitServer server = container().start(0, KitApplication.with(context -> DockerflowFilter.create(dockerflow).register(context),
                        KitApplication.Front.CONTAINER))) {
            HttpResponse<String> missing = get(server, "/no-such-page");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("X-Request-ID")).isPresent();
            HttpResponse<String> put = send(server, request(server, "/kit/ok").PUT(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(get(server, "/__lbheartbeat__").statusCode()).isEqualTo(200);
            List<JsonNode> three = summaries.next(3);
            assertThat(three).extracting(s -> s.at("/Fields/code").asInt()).containsExactly(404, 405, 200);
            assertThat(three).extracting(s -> s.at("/Fields/errno").asInt()).containsOnly(0);
            assertNoMoreSummariesOnceStopped(server);
        }
    }

    @Test
    void initializerRegistersTheFilterWithTheDockerflowOfTheContextAttribute() throws Exception {
        try (Dockerflow dockerflow = dockerflow(builder -> builder.check("from-attribute", List::of));
                KitServer server = container().start(0, new DockerflowFilter(),
                        KitApplication.with(context -> context.setAttribute(DockerflowFilter.DOCKERFLOW_ATTRIBUTE, dockerflow),
                                KitApplication.Front.APPLICATION))) {
            assertThat(get(server, "/__heartbeat__").body()).contains("\"from-attribute\"");
            assertThat(get(server, "/kit/request-id").statusCode()).isEqualTo(200);
            assertThat(summaries.next(2)).extracting(s -> s.at("/Fields/path").asText())
                    .containsExactly("/__heartbeat__", "/kit/request-id");
            assertNoMoreSummariesOnceStopped(server);
        }
    }

    @Test
    void initializerStepsAsideWhenTheApplicationRegistersTheFilterItself() throws Exception {
        SummaryLines unused = new SummaryLines();
        try (Dockerflow own = dockerflow(builder -> builder.check("registered-in-code", List::of));
                Dockerflow other = Dockerflow.builder().config(quiet()).summarySink(unused.sink()).build();
                KitServer server = container().start(0, new DockerflowFilter(), KitApplication.with(context -> {
                    context.setAttribute(DockerflowFilter.DOCKERFLOW_ATTRIBUTE, other);
                    DockerflowFilter.create(own).register(context);
                }, KitApplication.Front.APPLICATION))) {
            assertThat(get(server, "/__heartbeat__").body()).contains("\"registered-in-code\"");
            assertThat(get(server, "/kit/ok").body()).isEqualTo("ok");
            assertThat(summaries.next(2)).hasSize(2);
            assertNoMoreSummariesOnceStopped(server);
            assertThat(unused.unread()).isEmpty();
        }
    }

    @Test
    void initializerDoesNothingWhenTurnedOff() throws Exception {
        try (KitServer server = container().start(0, (classes, context) -> context.setInitParameter(
                DockerflowFilter.AUTO_REGISTER_PARAMETER, "false"), new DockerflowFilter(),
                KitApplication.with(context -> { }, KitApplication.Front.APPLICATION))) {
            HttpResponse<String> response = get(server, "/__lbheartbeat__");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("X-Request-ID")).isEmpty();
        }
    }

    /** Stops the server, which lets requests in flight finish: a second summary of any request would be written by then. */
    private void assertNoMoreSummariesOnceStopped(KitServer server) {
        server.close();
        assertThat(summaries.unread()).as("summaries beyond one per request").isEmpty();
    }

    private Dockerflow dockerflow(java.util.function.Consumer<Dockerflow.Builder> more) {
        Dockerflow.Builder builder = Dockerflow.builder().config(quiet()).summarySink(summaries.sink());
        more.accept(builder);
        return builder.build();
    }

    private static DockerflowConfig quiet() {
        return DockerflowConfig.builder().environment(Map.of()).build();
    }

    private CompletableFuture<Long> heartbeatAnsweredAt(KitServer server) {
        return http.sendAsync(request(server, "/__heartbeat__").GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> System.nanoTime());
    }

    private static HttpRequest.Builder request(KitServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(WAIT);
    }

    private HttpResponse<String> get(KitServer server, String path) throws Exception {
        return send(server, request(server, path).GET());
    }

    private HttpResponse<String> send(KitServer server, HttpRequest.Builder request) throws Exception {
        return send(http, request);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
