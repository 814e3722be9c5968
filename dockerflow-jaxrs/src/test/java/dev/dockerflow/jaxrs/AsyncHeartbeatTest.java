package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On Jersey the heartbeat is answered from a suspended request: while its checks run, no
 * thread of the container waits, and the application's own filters still never see it.
 */
class AsyncHeartbeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> summaries = new CopyOnWriteArrayList<>();
    private final Semaphore written = new Semaphore(0);
    private final CountDownLatch checkStarted = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger checkRuns = new AtomicInteger();
    private final AtomicInteger applicationFilterCalls = new AtomicInteger();
    private HttpServer server;
    private int port;

    /** The application's resource. */
    @Path("/app")
    public static class AppResource {
        /**
         * Answers {@code app}.
         *
         * @return {@code app}
         */
        @GET
        public String app() {
            return "app";
        }
    }

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

    /** An application's pre-matching filter that rejects every request that carries no credentials. */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    public class RejectingPreMatching implements ContainerRequestFilter {
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
            server.shutdownNow();
        }
    }

    /** Grizzly with one worker thread, the application's filters, and a check that waits until released. */
    private void start(Object applicationFilter) throws Exception {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .check("held", () -> {
                    checkRuns.incrementAndGet();
                    checkStarted.countDown();
                    released.await();
                    return List.of();
                })
                .summarySink(RequestSummarySink.lines(line -> {
                    summaries.add(line);
                    written.release();
                }))
                .build();
        ResourceConfig application = new ResourceConfig(AppResource.class)
                .register(applicationFilter)
                .register(DockerflowFeature.create(dockerflow));
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application, false);
        NetworkListener listener = server.getListeners().iterator().next();
        listener.getTransport().getWorkerThreadPoolConfig().setCorePoolSize(1).setMaxPoolSize(1);
        server.start();
        port = listener.getPort();
    }

    @Test
    void aWaitingHeartbeatLeavesTheOnlyWorkerThreadToOtherRequests() throws Exception {
        start(new RejectingAuthentication());
        CompletableFuture<HttpResponse<String>> heartbeat = send("/__heartbeat__", "hb-1");
        assertThat(checkStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the check started").isTrue();
        // the heartbeat waits for its check; the one worker thread still serves these
        assertThat(send("/__lbheartbeat__", "lb-1").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(send("/__version__", "v-1").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(404);
        assertThat(send("/app", "app-1").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        assertThat(heartbeat).isNotDone();
        released.countDown();
        HttpResponse<String> answer = heartbeat.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Request-ID")).contains("hb-1");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(JSON.readTree(answer.body()).at("/checks/held").asText()).isEqualTo("ok");
        assertThat(checkRuns).hasValue(1);
        awaitSummaries(4);
        assertThat(summaries).anySatisfy(line -> assertThat(JSON.readTree(line).at("/Fields/rid").asText()).isEqualTo("hb-1"));
    }

    @Test
    void theApplicationsPostMatchingFiltersNeverSeeAnAsynchronousHeartbeat() throws Exception {
        start(new RejectingAuthentication());
        assertApplicationFiltersNeverSeeDockerflowPaths();
    }

    @Test
    void theApplicationsPreMatchingFiltersNeverSeeAnAsynchronousHeartbeat() throws Exception {
        start(new RejectingPreMatching());
        assertApplicationFiltersNeverSeeDockerflowPaths();
    }

    private void assertApplicationFiltersNeverSeeDockerflowPaths() throws Exception {
        CompletableFuture<HttpResponse<String>> heartbeat = send("/__heartbeat__", "hb-2");
        assertThat(checkStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the check started").isTrue();
        assertThat(send("/__lbheartbeat__", "lb-2").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        released.countDown();
        assertThat(heartbeat.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(applicationFilterCalls).as("application filter calls for Dockerflow paths").hasValue(0);
        assertThat(send("/app", "app-2").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(401);
        assertThat(applicationFilterCalls).hasValue(1);
        awaitSummaries(3);
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String requestId) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Request-ID", requestId).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the server has written {@code count} summaries, and checks that it writes no more. */
    private void awaitSummaries(int count) throws Exception {
        assertThat(written.tryAcquire(count, WAIT.toSeconds(), TimeUnit.SECONDS)).as("%d summaries written", count).isTrue();
        server.shutdown(10, TimeUnit.SECONDS).get();
        assertThat(summaries).hasSize(count);
    }
}
