package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.test.KitServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shutdown drain in a real Spring Boot application (contract section 5): closing the
 * context while a client keeps sending turns {@code /__lbheartbeat__} to {@code 503} while
 * application routes still answer {@code 200}, before the web server stops (with Boot's default
 * graceful shutdown and with an immediate one); then the context closes, the auto-configured
 * Dockerflow is closed with it, and every answered request has exactly one summary.
 */
class ShutdownDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PAIRS_DURING_DRAIN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_TOMCAT = "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration";
    private static final String NO_JETTY = "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration";

    /** The summary lines, and whether the Dockerflow closed its sink. */
    static final List<String> LINES = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch closed;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();

    @ParameterizedTest(name = "{0}, server.shutdown={1}")
    @CsvSource({"tomcat, default", "tomcat, immediate", "jetty, default", "jetty, immediate"})
    void closingTheContextDrainsBeforeTheWebServerStops(String server, String shutdown) throws Exception {
        LINES.clear();
        closed = new CountDownLatch(1);
        Map<String, Object> properties = new HashMap<>(Map.of(
                "spring.autoconfigure.exclude", server.equals("tomcat") ? NO_JETTY : NO_TOMCAT,
                "dockerflow.shutdown-drain-ms", "3000"));
        if (!shutdown.equals("default")) {
            properties.put("server.shutdown", shutdown);
        }
        KitServer app = KitBootApplication.start(null, properties, CapturedSummaries.class);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        List<String> answered = new ArrayList<>();
        int duringDrain = 0;
        try {
            for (int i = 0; i < 3; i++) { // warm: the drain meets an application whose code is loaded
                assertThat(answer(app, "/__lbheartbeat__", "before-lb-" + i, answered).statusCode()).isEqualTo(200);
                assertThat(answer(app, "/kit/ok", "before-ok-" + i, answered).statusCode()).isEqualTo(200);
            }
            Thread.ofPlatform().name("closing-context").start(() -> {
                try {
                    app.close();
                    stopped.complete(null);
                } catch (Throwable e) {
                    stopped.completeExceptionally(e);
                }
            });
            // keeps sending until it has seen the drain and a few pairs of requests during it
            for (int i = 0; i < 10_000 && duringDrain < PAIRS_DURING_DRAIN; i++) {
                HttpResponse<String> lb = answer(app, "/__lbheartbeat__", "lb-" + i, answered);
                HttpResponse<String> ok = answer(app, "/kit/ok", "ok-" + i, answered);
                assertThat(ok.statusCode()).as("application request while the context closes").isEqualTo(200);
                assertThat(ok.body()).isEqualTo("ok");
                if (lb.statusCode() == 503 || duringDrain > 0) {
                    assertThat(lb.statusCode()).as("/__lbheartbeat__ once the drain started").isEqualTo(503);
                    assertThat(lb.headers().firstValue("Cache-Control")).hasValue("no-store");
                    duringDrain++;
                } else {
                    assertThat(lb.statusCode()).isEqualTo(200);
                }
            }
            assertThat(duringDrain).as("pairs of requests answered during the drain").isEqualTo(PAIRS_DURING_DRAIN);
            assertThat(stopped).as("the context is still closing after the requests answered during the drain").isNotDone();
            assertThat(closed.getCount()).as("Dockerflow still open during the drain").isEqualTo(1);
        } finally {
            if (duringDrain < PAIRS_DURING_DRAIN) {
                app.close(); // a failed test's application
            }
        }
        stopped.get(30, TimeUnit.SECONDS);
        assertThat(closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("Dockerflow closed with the context").isTrue();
        assertThatThrownBy(() -> http.send(request(app, "/__lbheartbeat__").build(), HttpResponse.BodyHandlers.ofString()))
                .as("the web server no longer accepts").isInstanceOf(IOException.class);
        List<String> rids = LINES.stream().map(ShutdownDrainTest::rid).toList();
        assertThat(rids).as("one summary per answered request").containsExactlyInAnyOrderElementsOf(answered);
    }

    private HttpResponse<String> answer(KitServer app, String path, String requestId, List<String> answered) throws Exception {
        HttpResponse<String> response = http.send(request(app, path).header("X-Request-ID", requestId).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue(requestId);
        answered.add(requestId);
        return response;
    }

    private static HttpRequest.Builder request(KitServer app, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).timeout(WAIT).GET();
    }

    private static String rid(String line) {
        try {
            JsonNode summary = JSON.readTree(line);
            return summary.at("/Fields/rid").asText();
        } catch (IOException e) {
            throw new IllegalStateException(line, e);
        }
    }

    /** Gives the auto-configured Dockerflow a sink that records its lines and its closing. */
    @Configuration(proxyBeanMethods = false)
    static class CapturedSummaries {
        @Bean
        DockerflowBuilderCustomizer capturedSummaries() {
            RequestSummarySink lines = RequestSummarySink.lines(LINES::add);
            return builder -> builder.summarySink(new RequestSummarySink() {
                @Override
                public void write(RequestSummary summary, Mozlog mozlog) {
                    lines.write(summary, mozlog);
                }

                @Override
                public void close() {
                    lines.close();
                    closed.countDown();
                }
            });
        }
    }
}
