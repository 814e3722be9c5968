package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shutdown: a drain during which {@code /__lbheartbeat__} answers 503 and everything else
 * is served, then the server stops, then closing summarizes the requests the server gave up on.
 */
@Timeout(30)
@SuppressWarnings("try") // logs captured only to keep expected warnings out of the build output
class ShutdownTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private Dockerflow dockerflow(Duration drain) {
        return Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).shutdownDrain(drain).build())
                .summarySink(new RequestSummarySink() {
                    @Override
                    public void write(RequestSummary summary, Mozlog mozlog) {
                        lines.add(mozlog.format(summary));
                    }

                    @Override
                    public void close() {
                        events.add("sink closed");
                    }
                })
                .mozlog(Mozlog.create("Dockerflow", "web-1", 4242))
                .nanoTime(nanos::get)
                .build();
    }

    private static int lbheartbeat(Dockerflow dockerflow) {
        try (ActiveRequest probe = dockerflow.startRequest(TestRequest.get("/__lbheartbeat__"))) {
            int status = probe.answer().status();
            probe.complete(status, null);
            return status;
        }
    }

    private List<JsonNode> summaries() {
        return lines.stream().map(JsonAssert::parse).toList();
    }

    private JsonNode summaryOf(String rid) {
        List<JsonNode> matching = summaries().stream().filter(s -> s.get("Fields").get("rid").asText().equals(rid)).toList();
        assertThat(matching).as("summaries of " + rid).hasSize(1);
        return matching.getFirst();
    }

    @Test
    void drainThenCloseDrainsForTheConfiguredTimeThenStopsTheServerThenCloses() {
        Dockerflow dockerflow = dockerflow(Duration.ofMillis(200));
        assertThat(lbheartbeat(dockerflow)).isEqualTo(200);
        long started = System.nanoTime();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            dockerflow.drainThenClose(() -> {
                events.add("server stopping after " + (System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(200)
                        ? "the drain" : "less than the drain"));
                events.add("lbheartbeat " + lbheartbeat(dockerflow));
                try (ActiveRequest app = dockerflow.startRequest(TestRequest.get("/notes").header("X-Request-ID", "app"))) {
                    app.complete(200, null);
                }
                events.add("server stopped");
            });
            assertThat(log.messagesAt(Level.INFO)).containsExactly("Draining for 200 ms before the server stops: "
                    + "/__lbheartbeat__ answers 503, every other request is served");
        }
        assertThat(events).containsExactly("server stopping after the drain", "lbheartbeat 503", "server stopped",
                "sink closed");
        assertThat(dockerflow.isDraining()).isTrue();
        assertThat(summaryOf("app").get("Fields").get("code").asInt()).isEqualTo(200);
    }

    @Test
    void theDrainKeepsCacheControlNoStoreAndAHeadAnswerAlike() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        dockerflow.drain();
        for (String method : List.of("GET", "HEAD")) {
            try (ActiveRequest probe = dockerflow.startRequest(new TestRequest(method, "/__lbheartbeat__", null))) {
                DockerflowResponse answer = probe.answer();
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Cache-Control")).contains("no-store");
                assertThat(answer.bodyLength()).isZero();
            }
        }
    }

    @Test
    void withoutADrainTimeTheServerStopsAtOnceAndNothingIsLogged() throws InterruptedException {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        try (LogCapture log = LogCapture.of("dockerflow")) {
            dockerflow.drainAndWait();
            assertThat(log.messages()).isEmpty();
        }
        assertThat(lbheartbeat(dockerflow)).isEqualTo(503);
    }

    @Test
    void anInterruptEndsTheDrainButTheServerStillStopsAndTheInterruptIsKept() {
        Dockerflow dockerflow = dockerflow(Duration.ofHours(1));
        try (LogCapture log = LogCapture.of("dockerflow")) {
            Thread.currentThread().interrupt();
            dockerflow.drainThenClose(() -> events.add("server stopped"));
            assertThat(Thread.interrupted()).as("the interrupt is set again").isTrue();
            assertThat(log.messagesAt(Level.WARNING)).containsExactly("Drain interrupted: stopping the server now");
        }
        assertThat(events).containsExactly("server stopped", "sink closed");
    }

    @Test
    void drainAndWaitLetsAnInterruptThrough() {
        Dockerflow dockerflow = dockerflow(Duration.ofHours(1));
        try (LogCapture ignored = LogCapture.of("dockerflow")) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(dockerflow::drainAndWait).isInstanceOf(InterruptedException.class);
        }
        assertThat(dockerflow.isDraining()).isTrue();
    }

    @Test
    void aServerThatFailsToStopStillClosesTheDockerflow() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        assertThatThrownBy(() -> dockerflow.drainThenClose(() -> {
            throw new IllegalStateException("stop failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop failed");
        assertThat(events).containsExactly("sink closed");
    }

    @Test
    void aRequestStillRunningWhenTheDockerflowClosesIsSummarizedAsCut() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        ActiveRequest finished = dockerflow.startRequest(TestRequest.get("/notes").header("X-Request-ID", "finished"));
        ActiveRequest hanging = dockerflow.startRequest(new TestRequest("POST", "/notes", "draft=1")
                .header("X-Request-ID", "hanging").header("User-Agent", "curl/8.5"));
        finished.complete(201, null);
        finished.close();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(12_345));
        try (LogCapture log = LogCapture.of("dockerflow")) {
            dockerflow.close();
            assertThat(log.messagesAt(Level.WARNING)).containsExactly(
                    "1 request was still running when the server stopped; its summary says \"cut\": true");
        }

        JsonNode cut = summaryOf("hanging");
        assertThat(cut.get("Severity").asInt()).isEqualTo(3);
        JsonNode fields = cut.get("Fields");
        assertThat(fields.get("method").asText()).isEqualTo("POST");
        assertThat(fields.get("path").asText()).isEqualTo("/notes");
        assertThat(fields.get("agent").asText()).isEqualTo("curl/8.5");
        assertThat(fields.get("code").asInt()).isEqualTo(500);
        assertThat(fields.get("errno").asInt()).isEqualTo(500);
        assertThat(fields.get("t").asLong()).isEqualTo(12_345);
        assertThat(fields.get("msg").asText()).isEqualTo("Cut off at shutdown: the server stopped before the request ended");
        assertThat(fields.get("cut").asBoolean()).isTrue();
        assertThat(summaryOf("finished").get("Fields").has("cut")).isFalse();

        // the server's own answer, if it ever comes, writes nothing more
        assertThat(hanging.complete(500, new IllegalStateException("interrupted"))).isFalse();
        hanging.close();
        assertThat(lines).hasSize(2);
        dockerflow.close();
        assertThat(lines).hasSize(2);
    }

    @Test
    void aCompletedRequestIsNoLongerTracked() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        for (int i = 0; i < 100; i++) {
            try (ActiveRequest request = dockerflow.startRequest(TestRequest.get("/notes"))) {
                assertThat(dockerflow.inFlightCount()).isEqualTo(1);
                request.complete(200, null);
            }
        }
        assertThat(dockerflow.inFlightCount()).isZero();
        dockerflow.close();
        assertThat(lines).hasSize(100);
    }

    @Test
    void aRequestItsAdapterAbandonedIsNotKeptAlive() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        dockerflow.startRequest(TestRequest.get("/lost")).close(); // never completed, nothing refers to it
        for (int i = 0; i < 50 && dockerflow.inFlightCount() > 0; i++) {
            System.gc();
        }
        assertThat(dockerflow.inFlightCount()).as("tracked requests after collection").isZero();
    }

    @Test
    void requestsThatStartAfterTheDockerflowClosedSummarizeThemselves() {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        dockerflow.close();
        try (ActiveRequest late = dockerflow.startRequest(TestRequest.get("/notes").header("X-Request-ID", "late"))) {
            assertThat(dockerflow.inFlightCount()).isZero();
            late.complete(200, null);
        }
        assertThat(summaryOf("late").get("Fields").get("code").asInt()).isEqualTo(200);
    }

    @Test
    void theApplicationCannotAddAFieldNamedCut() {
        Dockerflow dockerflow = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of()).build())
                .summarySink(RequestSummarySink.lines(lines::add))
                .summaryExtra(view -> Map.of("cut", "no", "tenant", "acme"))
                .build();
        try (LogCapture ignored = LogCapture.of("dockerflow");
             ActiveRequest request = dockerflow.startRequest(TestRequest.get("/notes").header("X-Request-ID", "r"))) {
            request.complete(200, null);
        }
        JsonNode fields = summaryOf("r").get("Fields");
        assertThat(fields.has("cut")).isFalse();
        assertThat(fields.get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void everyRequestGetsExactlyOneLineWhenItsOwnEndRacesTheClose() throws InterruptedException {
        Dockerflow dockerflow = dockerflow(Duration.ZERO);
        int count = 400;
        List<ActiveRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(dockerflow.startRequest(TestRequest.get("/notes").header("X-Request-ID", "r" + i)));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> enders = new ArrayList<>();
        for (int i = 0; i < count; i += 2) {
            ActiveRequest request = requests.get(i);
            enders.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                request.complete(200, null);
            }));
        }
        try (LogCapture ignored = LogCapture.of("dockerflow")) {
            go.countDown();
            dockerflow.close();
            for (Thread ender : enders) {
                ender.join();
            }
        }
        assertThat(lines).hasSize(count);
        assertThat(summaries().stream().map(s -> s.get("Fields").get("rid").asText()).distinct()).hasSize(count);
        for (int i = 1; i < count; i += 2) {
            assertThat(summaryOf("r" + i).get("Fields").get("cut").asBoolean()).isTrue();
        }
    }
}
