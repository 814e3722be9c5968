package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestSummarySink;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.junit.jupiter.api.Test;

/** The README's snippet, compiled and run. */
class ReadmeExampleTest {

    /** A stand-in for an application's resource. */
    @Path("/items")
    public static class ItemsResource {
        /**
         * Lists nothing.
         *
         * @return an empty JSON list
         */
        @GET
        public String items() {
            return "[]";
        }
    }

    @Test
    void registeringTheFeatureServesDockerflow() throws Exception {
        List<String> summaries = new CopyOnWriteArrayList<>();
        Semaphore written = new Semaphore(0);
        Dockerflow.Builder builder = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(line -> {
                    summaries.add(line);
                    written.release();
                }));
        // README:start
        Dockerflow dockerflow = builder
                .check("database", () -> List.of())
                .build();
        ResourceConfig application = new ResourceConfig(ItemsResource.class)
                .register(DockerflowFeature.create(dockerflow));
        // README:end
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
        try {
            int port = server.getListeners().iterator().next().getPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> heartbeat = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__heartbeat__")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(heartbeat.statusCode()).isEqualTo(200);
            assertThat(heartbeat.body()).contains("\"database\":\"ok\"");
            HttpResponse<String> items = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/items")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(items.body()).isEqualTo("[]");
            assertThat(written.tryAcquire(2, 10, TimeUnit.SECONDS)).as("2 summary lines written").isTrue();
            // a graceful stop lets requests in flight finish: any extra summary is written by now
            server.shutdown(10, TimeUnit.SECONDS).get();
            assertThat(summaries).hasSize(2);
            assertThat(summaries.get(1)).contains("\"path\":\"/items\"");
        } finally {
            server.shutdownNow();
        }
    }
}
