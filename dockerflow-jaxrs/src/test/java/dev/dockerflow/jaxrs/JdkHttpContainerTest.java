package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jersey's JDK HTTP server container cannot suspend a request, so a heartbeat is answered
 * on its own request thread. That server runs each request on a thread of its own (Jersey
 * gives it an unbounded pool; a virtual-thread executor does the same), so heartbeats
 * waiting for a hung check never queue {@code /__lbheartbeat__} or the application.
 */
class JdkHttpContainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PROBE_LIMIT = Duration.ofMillis(200);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> summaries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Semaphore written = new Semaphore(0);
    private final AtomicInteger checkRuns = new AtomicInteger();
    private final AtomicBoolean hang = new AtomicBoolean();
    private final CountDownLatch checkStarted = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger applicationFilterCalls = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    /** An application's authentication: rejects every request that carries no credentials. */
    @Priority(Priorities.AUTHENTICATION)
    public class RejectingAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            applicationFilterCalls.incrementAndGet();
            if (request.getHeaderString("Authorization") == null) {
                request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
            }
        }
    }

    @AfterEach
    void stop() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.close();
        }
    }

    private void start(boolean virtualThreads) {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).checkTimeout(CHECK_TIMEOUT).build())
                .check("backend", () -> {
                    checkRuns.incrementAndGet();
                    if (hang.get()) {
                        checkStarted.countDown();
                        awaitIgnoringInterrupts(released);
                    } else {
                        Thread.sleep(100);
                    }
                    return List.of();
                })
                .summarySink(RequestSummarySink.lines(line -> {
                    summaries.add(line);
                    written.release();
                }))
                .build();
        ResourceConfig application = new ResourceConfig(AsyncHeartbeatTest.AppResource.class)
                .register(new RejectingAuthentication())
                .register(DockerflowFeature.create(dockerflow));
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application, false);
        if (virtualThreads) {
            executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
        }
        server.start();
    }

    @Test
    void heartbeatIsAnsweredOnItsThreadAndStillPassesNoApplicationFilter() throws Exception {
        start(false);
        HttpResponse<String> heartbeat = get("/__heartbeat__", "jdk-1");
        assertThat(heartbeat.statusCode()).isEqualTo(200);
        assertThat(heartbeat.headers().firstValue("X-Request-ID")).contains("jdk-1");
        assertThat(JSON.readTree(heartbeat.body()).at("/checks/backend").asText()).isEqualTo("ok");
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/__heartbeat__"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(applicationFilterCalls).hasValue(0);
        assertThat(get("/app", "jdk-2").statusCode()).isEqualTo(401);
        assertThat(written.tryAcquire(3, WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(JSON.readTree(summaries.get(0)).at("/Fields/rid").asText()).isEqualTo("jdk-1");
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void heartbeatStormNeverDelaysLbheartbeatOrTheApplication(boolean virtualThreads) throws Exception {
        start(virtualThreads);
        // a fresh server loads and compiles code on its first requests: a storm whose check is
        // merely slow warms it up; the next one is measured
        List<CompletableFuture<Timed>> warmUp = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            warmUp.add(timed("/__heartbeat__"));
        }
        for (int i = 0; i < 20; i++) {
            timed("/__lbheartbeat__").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            timed("/app").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        for (CompletableFuture<Timed> heartbeat : warmUp) {
            assertThat(heartbeat.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        checkRuns.set(0);
        hang.set(true);
        List<CompletableFuture<Timed>> heartbeats = new ArrayList<>();
        heartbeats.add(timed("/__heartbeat__"));
        assertThat(checkStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the check started").isTrue();
        for (int i = 0; i < 50; i++) {
            heartbeats.add(timed("/__heartbeat__"));
        }
        for (int i = 0; i < 20; i++) {
            for (String path : List.of("/__lbheartbeat__", "/app")) {
                Timed probe = timed(path).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(probe.status()).as(path).isEqualTo(path.equals("/app") ? 401 : 200);
                assertThat(probe.took()).as("%s answered during a heartbeat storm", path).isLessThanOrEqualTo(PROBE_LIMIT);
            }
        }
        assertThat(heartbeats).as("heartbeats still waiting while the probes were answered").noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<Timed> heartbeat : heartbeats) {
            Timed answer = heartbeat.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.took()).isLessThanOrEqualTo(CHECK_TIMEOUT.plusSeconds(1));
        }
        assertThat(checkRuns.get()).isBetween(1, 2);
        released.countDown();
    }

    private record Timed(int status, Duration took) {
    }

    private CompletableFuture<Timed> timed(String path) {
        long start = System.nanoTime();
        return http.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> new Timed(r.statusCode(), Duration.ofNanos(System.nanoTime() - start)));
    }

    private HttpResponse<String> get(String path, String requestId) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("X-Request-ID", requestId));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
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
}
