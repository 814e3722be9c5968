package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter without Jersey's request events, as on any other JAX-RS runtime: the
 * response filter writes the summary. Exceptions nothing maps are outside what JAX-RS
 * lets a filter see, so they are not covered here (see the README's limits).
 */
class PortableFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> summaries = new CopyOnWriteArrayList<>();
    /** One permit per summary line written. */
    private final Semaphore written = new Semaphore(0);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(line -> {
                    summaries.add(line);
                    written.release();
                }))
                .build();
        ResourceConfig application = new ResourceConfig(JerseyConformanceTest.KitResource.class,
                JerseyConformanceTest.KitMappedExceptionMapper.class, JerseyConformanceTest.KitAuthentication.class)
                .register(DockerflowFeature.portable(dockerflow));
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
        port = server.getListeners().iterator().next().getPort();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void responseFilterSummarizesEachHandledRequestOnce() throws Exception {
        List<String> paths = List.of("/__lbheartbeat__", "/__heartbeat__", "/__version__", "/kit/ok", "/kit/mapped",
                "/kit/missing");
        List<Integer> codes = List.of(200, 200, 404, 200, 409, 404);
        for (int i = 0; i < paths.size(); i++) {
            HttpResponse<String> response = get(paths.get(i), "portable-" + i);
            assertThat(response.statusCode()).as(paths.get(i)).isEqualTo(codes.get(i));
            assertThat(response.headers().firstValue("X-Request-ID")).contains("portable-" + i);
        }
        assertThat(written.tryAcquire(paths.size(), 10, TimeUnit.SECONDS))
                .as("%d summary lines written", paths.size()).isTrue();
        // a graceful stop lets requests in flight finish: any extra summary is written by now
        server.shutdown(10, TimeUnit.SECONDS).get();
        assertThat(summaries).hasSize(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            JsonNode fields = JSON.readTree(summaries.get(i)).get("Fields");
            assertThat(fields.get("path").asText()).isEqualTo(paths.get(i));
            assertThat(fields.get("code").asInt()).isEqualTo(codes.get(i));
            assertThat(fields.get("errno").asInt()).isZero();
            assertThat(fields.get("rid").asText()).isEqualTo("portable-" + i);
        }
    }

    @Test
    void requestIdIsSeenByTheResourceAndNotByTheNextRequest() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(get("/kit/request-id", "seen-" + i).body()).isEqualTo("seen-" + i);
            HttpResponse<String> without = get("/kit/request-id", null);
            assertThat(without.body()).isEqualTo(without.headers().firstValue("X-Request-ID").orElseThrow());
        }
    }

    private HttpResponse<String> get(String path, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (requestId != null) {
            request.header("X-Request-ID", requestId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
