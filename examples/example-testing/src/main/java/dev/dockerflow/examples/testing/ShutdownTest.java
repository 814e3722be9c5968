package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an example service stops on SIGTERM, on its real {@code main} in its own process:
 * first the drain ({@code /__lbheartbeat__} answers 503 while every other request is
 * served), then the server stops and the process exits 0, and every request the server
 * answered or gave up on has its summary line. An example's test extends this and names
 * its main class.
 */
@Timeout(180)
public abstract class ShutdownTest {

    /** The drain the tests ask for: long enough to see, short enough for the build. */
    private static final Duration DRAIN = Duration.ofMillis(1500);

    /**
     * The service's main class.
     *
     * @return a fully qualified class name
     */
    protected abstract String mainClass();

    /**
     * The status in the summary of a request cut off after the grace period while its body was
     * still coming: 500, unless the server records one of its own. Tomcat marks a request whose
     * body could not be read {@code 400} before the application hears of it; the summary still
     * reads as a failure ({@code errno} 500, {@code Severity} 3).
     *
     * @return the expected {@code code}
     */
    protected int cutOffStatus() {
        return 500;
    }

    /**
     * The statuses a server answers on its own, with no application code involved, to a request
     * that arrives on an open connection once the drain is over and the server stops: 503
     * (Grizzly). Tomcat answers 400 to a request whose head it was reading when it closed the
     * connection.
     *
     * @return the statuses a request with no summary may carry after the drain
     */
    protected Set<Integer> serverRefusalStatuses() {
        return Set.of(503);
    }

    /**
     * One request of the client that keeps sending through the shutdown.
     *
     * @param sentMillis when it was sent ({@link System#currentTimeMillis()})
     * @param path what it asked for
     * @param rid its request ID
     * @param status the status it got, or -1 when it got no answer
     * @param failure why it got no answer
     */
    record Exchange(long sentMillis, String path, String rid, int status, String failure) {
        boolean answered() {
            return status > 0;
        }

        boolean probe() {
            return path.equals("/__lbheartbeat__");
        }
    }

    @Test
    void sigtermDrainsThenStopsAndEveryAnsweredRequestHasItsSummary() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(mainClass(),
                Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", String.valueOf(DRAIN.toMillis())))) {
            List<Exchange> exchanges = new CopyOnWriteArrayList<>();
            // under way once at least 10 requests went out over more than twice the margin below, so
            // that some were surely sent before the drain began, however fast the machine
            CountDownLatch underWay = new CountDownLatch(1);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            Thread sender = Thread.ofPlatform().name("client").start(() -> {
                // a load balancer's probe and an application request, one after the other, until the test says stop
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long first = System.currentTimeMillis();
                for (int i = 0; !Thread.currentThread().isInterrupted() && System.nanoTime() < deadline; i++) {
                    String path = i % 2 == 0 ? "/__lbheartbeat__" : "/notes/count";
                    exchanges.add(send(client, service.baseUrl(), path, "drain-" + i));
                    if (i >= 9 && System.currentTimeMillis() - first > 500) {
                        underWay.countDown();
                    }
                }
            });
            try {
                assertThat(underWay.await(30, TimeUnit.SECONDS)).as("the client is under way").isTrue();
                int exit = service.terminate(Duration.ofSeconds(30));
                assertThat(exit).as("exit status; stderr %s", service.stderr()).isZero();
                List<Exchange> seen = List.copyOf(exchanges);
                JsonNode draining = service.stdoutJson().stream()
                        .filter(n -> n.path("Fields").path("msg").asText().startsWith("Draining for 1500 ms before the server stops"))
                        .findFirst().orElseThrow(() -> new AssertionError("no drain line in\n" + String.join("\n", service.stdout())));
                // the service's clock and ours are the same machine's; a margin covers a request's way there and back
                long drainStart = draining.get("Timestamp").asLong() / 1_000_000;
                long drainEnd = drainStart + DRAIN.toMillis();
                long margin = 200;
                Map<String, List<JsonNode>> summaries = summariesByRid(service);
                String all = seen.stream().map(Exchange::toString).collect(Collectors.joining("\n"));

                // before the drain: 200; during the drain: the probe 503, the application still 200, nothing refused
                List<Exchange> before = seen.stream().filter(e -> e.sentMillis() < drainStart - margin).toList();
                List<Exchange> during = seen.stream()
                        .filter(e -> e.sentMillis() > drainStart + margin && e.sentMillis() < drainEnd - margin).toList();
                assertThat(before).isNotEmpty().allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(200));
                assertThat(during).as(all).filteredOn(Exchange::probe).isNotEmpty()
                        .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(503));
                assertThat(during).filteredOn(e -> !e.probe()).as("application requests served during the drain:\n" + all)
                        .hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(200));
                assertThat(seen).filteredOn(e -> e.sentMillis() < drainEnd - margin)
                        .allSatisfy(e -> assertThat(e.answered()).as("answered: " + e).isTrue());

                // every request the application answered has exactly one summary line, with the status the client saw
                for (Exchange e : seen) {
                    List<JsonNode> lines = summaries.getOrDefault(e.rid(), List.of());
                    if (e.answered() && e.sentMillis() < drainEnd - margin) {
                        assertThat(lines).as("summaries of %s", e).hasSize(1);
                    }
                    if (e.answered() && lines.isEmpty()) {
                        // only once the drain is over: a server that stops may refuse a request on an open
                        // connection with a 503 of its own (Grizzly does), which no application code sees
                        assertThat(e.status()).as("answered by the server itself: %s", e).isIn(serverRefusalStatuses());
                        assertThat(e.sentMillis()).as("refused by the server itself: %s", e).isGreaterThan(drainEnd - margin);
                    }
                    assertThat(lines).as("summaries of %s", e).hasSizeLessThanOrEqualTo(1);
                    if (e.answered() && !lines.isEmpty()) {
                        JsonNode fields = lines.getFirst().get("Fields");
                        assertThat(fields.get("code").asInt()).as(e.toString()).isEqualTo(e.status());
                        assertThat(fields.get("path").asText()).isEqualTo(e.path());
                    }
                }
                assertThat(service.stdout()).anySatisfy(line -> assertThat(line).contains("Connection pool and clients closed"));
            } finally {
                sender.interrupt();
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    @Test
    void requestsOutlivingTheGracePeriodGetTheirSummaryAndTheProcessStillExits0() throws Exception {
        int count = 3;
        try (ServiceProcess service = ServiceProcess.start(mainClass(),
                Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "0", "SHUTDOWN_GRACE_MS", "300"))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    slow.add(postWithoutItsBody(service.port(), "cut-" + i));
                }
                int exit = service.terminate(Duration.ofSeconds(30));
                assertThat(exit).as("exit status; stderr %s", service.stderr()).isZero();
                for (Socket socket : slow) {
                    assertThat(rest(socket)).as("what the client got after 100 Continue").doesNotContain("HTTP/1.1 2");
                }
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
            Map<String, List<JsonNode>> summaries = summariesByRid(service);
            for (int i = 0; i < count; i++) {
                assertThat(summaries.get("cut-" + i)).as("summaries of cut-%d in\n%s", i, String.join("\n", service.stdout()))
                        .hasSize(1);
                JsonNode summary = summaries.get("cut-" + i).getFirst();
                JsonNode fields = summary.get("Fields");
                assertThat(fields.get("method").asText()).isEqualTo("POST");
                assertThat(fields.get("path").asText()).isEqualTo("/notes");
                // the client got no answer; whether the request's own thread saw its connection go or
                // closing the Dockerflow found it still running ("cut": true), it reads as a failure
                assertThat(fields.get("code").asInt()).as("code of %s", summary).isEqualTo(cutOffStatus());
                assertThat(fields.get("errno").asInt()).as("errno of %s", summary).isEqualTo(500);
                assertThat(summary.get("Severity").asInt()).isEqualTo(3);
                assertThat(fields.get("t").asLong()).as("t of %s", summary).isGreaterThanOrEqualTo(300);
            }
        }
    }

    /**
     * Sends a POST whose body never comes, and returns once the server asked for the body
     * ({@code 100 Continue}): the request is then in the server's hands, waiting for its body.
     */
    private static Socket postWithoutItsBody(int port, String rid) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
        OutputStream out = socket.getOutputStream();
        out.write(("POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n"
                + "Expect: 100-continue\r\nX-Request-ID: " + rid + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String interim = head(socket.getInputStream());
        assertThat(interim).as("the server's answer to Expect").startsWith("HTTP/1.1 100");
        out.write("a note tha".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Reads one response head, up to its empty line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Whatever the server sent until it closed the connection. */
    private static String rest(Socket socket) {
        try {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static Exchange send(HttpClient client, String baseUrl, String path, String rid) {
        long sent = System.currentTimeMillis();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("X-Request-ID", rid).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Exchange(sent, path, rid, response.statusCode(), null);
        } catch (IOException e) {
            return new Exchange(sent, path, rid, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(sent, path, rid, -1, e.toString());
        }
    }

    private static Map<String, List<JsonNode>> summariesByRid(ServiceProcess service) {
        return service.stdoutJson().stream()
                .filter(n -> "request.summary".equals(n.path("Type").asText()))
                .collect(Collectors.groupingBy(n -> n.get("Fields").get("rid").asText()));
    }
}
