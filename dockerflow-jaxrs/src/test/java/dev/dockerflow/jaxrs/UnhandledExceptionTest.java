package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exception that no {@code ExceptionMapper} handles: Jersey 4 hands it to the container,
 * whose own {@code 500} runs no response filter; the feature has Jersey answer it instead,
 * so the answer carries the request ID, and logs the exception, which Jersey then does not.
 */
class UnhandledExceptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger ADAPTER_LOG = Logger.getLogger("dockerflow.jaxrs");

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final List<String> summaries = new CopyOnWriteArrayList<>();
    private final Semaphore written = new Semaphore(0);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpServer server;

    /** Throws what nothing handles. */
    @Path("/fails")
    public static class FailingResource {
        /**
         * Fails.
         *
         * @return never
         */
        @GET
        public String fails() {
            throw new IllegalStateException("nothing handles this");
        }
    }

    @BeforeEach
    void captureTheAdaptersLog() {
        ADAPTER_LOG.addHandler(capture);
        ADAPTER_LOG.setUseParentHandlers(false);
    }

    @AfterEach
    void stop() {
        ADAPTER_LOG.removeHandler(capture);
        ADAPTER_LOG.setUseParentHandlers(true);
        server.shutdownNow();
    }

    private int start(Map<String, Object> properties) {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(line -> {
                    summaries.add(line);
                    written.release();
                }))
                .build();
        ResourceConfig application = new ResourceConfig(FailingResource.class)
                .addProperties(properties)
                .register(DockerflowFeature.create(dockerflow));
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application);
        return server.getListeners().iterator().next().getPort();
    }

    private HttpResponse<String> fail(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fails"))
                .header("X-Request-ID", "failed-1").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAnswerCarriesTheRequestIdAndTheExceptionIsLoggedAndSummarized() throws Exception {
        HttpResponse<String> response = fail(start(Map.of()));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Request-ID")).contains("failed-1");
        assertThat(response.body()).doesNotContain("nothing handles this");
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getThrown()).isInstanceOf(IllegalStateException.class).hasMessage("nothing handles this");
        });
        assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        JsonNode fields = JSON.readTree(summaries.get(0)).get("Fields");
        assertThat(fields.get("code").asInt()).isEqualTo(500);
        assertThat(fields.get("errno").asInt()).isEqualTo(500);
        assertThat(fields.get("msg").asText()).isEqualTo("nothing handles this");
        assertThat(fields.get("rid").asText()).isEqualTo("failed-1");
    }

    @Test
    void anApplicationThatConfiguresResponseErrorProcessingItselfKeepsItsSetting() throws Exception {
        HttpResponse<String> response = fail(start(Map.of(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, false)));
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Request-ID")).as("the container's own answer").isEmpty();
        assertThat(logged).isEmpty();
        assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(JSON.readTree(summaries.get(0)).at("/Fields/errno").asInt()).isEqualTo(500);
    }
}
