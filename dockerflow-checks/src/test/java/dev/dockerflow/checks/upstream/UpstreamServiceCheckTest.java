package dev.dockerflow.checks.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.BlackholeServer;
import dev.dockerflow.checks.support.HeartbeatRun;
import dev.dockerflow.checks.support.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamServiceCheckTest {

    private static final Duration WAIT = Duration.ofMillis(400);
    // Generous: two shared cores, other builds running at the same time.
    private static final Duration MARGIN = Duration.ofMillis(2500);
    private static final String SECRET_DETAIL = "password=hunter2 at db.internal";

    /** A real HTTP server on loopback answering every request with what the test set. */
    private static final class Upstream implements AutoCloseable {
        private final HttpServer server;
        private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
        private volatile int status = 200;
        private volatile byte[] body = new byte[0];
        private volatile String location;

        Upstream() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::answer);
            server.start();
        }

        Upstream answer(int status, String body) {
            this.status = status;
            this.body = body.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Upstream answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
            return this;
        }

        Upstream redirectTo(String location) {
            this.location = location;
            return answer(301, "");
        }

        private void answer(HttpExchange exchange) throws IOException {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] answer = body;
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private Upstream upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new Upstream();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private static String heartbeatBody(String status) {
        return "{\"status\":\"" + status + "\",\"checks\":{\"check_database_connected\":\"" + status + "\"},"
                + "\"details\":{\"check_database_connected\":{\"status\":\"" + status + "\",\"level\":40,"
                + "\"messages\":{\"dockerflow.health.E001\":\"" + SECRET_DETAIL + "\"}}}}";
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    private String shown() {
        return upstream.base().toString();
    }

    @Test
    void healthyUpstreamIsHealthyAndItsHeartbeatWasAsked() throws Exception {
        upstream.answer(200, "{\"status\":\"ok\",\"checks\":{\"check_database_connected\":\"ok\"},\"details\":{}}");
        assertThat(UpstreamServiceCheck.heartbeat(upstream.base()).run()).isEmpty();
        upstream.answer(200, heartbeatBody("info"));
        assertThat(UpstreamServiceCheck.heartbeat(upstream.base()).run()).isEmpty();
        assertThat(upstream.requests).containsExactly("GET /__heartbeat__", "GET /__heartbeat__");
    }

    @Test
    void upstreamWarningIsAWarningWithoutItsDetails() throws Exception {
        upstream.answer(200, heartbeatBody("warning"));
        CheckMessage m = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.W003");
        assertThat(m.level()).isEqualTo(Level.WARNING);
        assertThat(m.text()).isEqualTo("Upstream " + shown() + " reports warning: heartbeat status \"warning\" (HTTP 200)")
                .doesNotContain("hunter2", "db.internal", "E001");
    }

    @Test
    void failingUpstreamIsAnErrorWithoutItsDetails() throws Exception {
        for (String status : List.of("error", "critical")) {
            upstream.answer(500, heartbeatBody(status));
            CheckMessage m = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
            assertThat(m.id()).isEqualTo("dockerflow.health.E016");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).isEqualTo("Upstream " + shown() + " is failing: heartbeat status \"" + status + "\" (HTTP 500)")
                    .doesNotContain("hunter2");
        }
        upstream.answer(200, heartbeatBody("error"));
        assertThat(single(UpstreamServiceCheck.heartbeat(upstream.base()).run()).text())
                .as("a failing status text fails, whatever the HTTP status")
                .isEqualTo("Upstream " + shown() + " is failing: heartbeat status \"error\" (HTTP 200)");
        upstream.answer(503, "<html>Service Unavailable</html>");
        assertThat(single(UpstreamServiceCheck.heartbeat(upstream.base()).run()).text())
                .isEqualTo("Upstream " + shown() + " is failing: HTTP 503");
        upstream.answer(500, heartbeatBody("ok"));
        assertThat(single(UpstreamServiceCheck.heartbeat(upstream.base()).run()).id())
                .as("a 5xx fails, whatever the body says").isEqualTo("dockerflow.health.E016");
    }

    @Test
    void nonJsonOrTooLargeBodyIsAWarningThatNoStatusCameBack() throws Exception {
        upstream.answer(200, "<html><body>Welcome to nginx!</body></html>");
        CheckMessage html = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
        assertThat(html.id()).isEqualTo("dockerflow.health.W004");
        assertThat(html.text()).isEqualTo("Upstream " + shown() + " answered HTTP 200 without a heartbeat status");

        for (String notAHeartbeat : List.of("", "{}", "[\"status\"]", "{\"status\":40}", "{\"status\":\"ok\"", "{\"status\":\"ok\"} x")) {
            upstream.answer(200, notAHeartbeat);
            assertThat(single(UpstreamServiceCheck.heartbeat(upstream.base()).run()).id()).as(notAHeartbeat)
                    .isEqualTo("dockerflow.health.W004");
        }

        byte[] huge = new byte[UpstreamServiceCheck.MAX_BODY_BYTES * 4];
        byte[] start = "{\"status\":\"ok\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, huge, 0, start.length);
        java.util.Arrays.fill(huge, start.length, huge.length - 2, (byte) 'a');
        huge[huge.length - 2] = '"';
        huge[huge.length - 1] = '}';
        assertThat(HeartbeatBody.status(huge)).as("valid JSON, were it read whole").contains("ok");
        upstream.answer(200, huge);
        assertThat(single(UpstreamServiceCheck.heartbeat(upstream.base()).run()).id()).isEqualTo("dockerflow.health.W004");
    }

    @Test
    void statusThatIsNoLevelIsUnexpectedAndNotRepeated() throws Exception {
        upstream.answer(200, "{\"status\":\"banana <script>\"}");
        CheckMessage m = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.E017");
        assertThat(m.text()).isEqualTo("Upstream " + shown() + " answered unexpectedly: an unknown heartbeat status (HTTP 200)");
    }

    @Test
    void redirectIsNeverFollowed() throws Exception {
        try (Upstream elsewhere = new Upstream()) {
            elsewhere.answer(200, heartbeatBody("ok"));
            upstream.redirectTo(elsewhere.base() + "/__heartbeat__?token=abc123");
            CheckMessage m = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
            assertThat(m.id()).isEqualTo("dockerflow.health.E017");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).isEqualTo("Upstream " + shown() + " answered unexpectedly: HTTP 301 redirect, not followed")
                    .doesNotContain("abc123");
            assertThat(elsewhere.requests).as("requests that reached the redirect's target").isEmpty();
        }
    }

    @Test
    void notADockerflowServiceIsUnexpected() throws Exception {
        upstream.answer(404, "Not Found");
        CheckMessage m = single(UpstreamServiceCheck.heartbeat(upstream.base()).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.E017");
        assertThat(m.text()).isEqualTo("Upstream " + shown() + " answered unexpectedly: HTTP 404");
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + Ports.closed());
        CheckMessage m = single(UpstreamServiceCheck.heartbeat(base).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.E015");
        assertThat(m.level()).isEqualTo(Level.ERROR);
        assertThat(m.text()).isEqualTo("Upstream " + base + " is unreachable: connection refused");
    }

    @Test
    void blackholedUpstreamIsUnreachableWithinTheTimeout() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            URI base = URI.create("http://127.0.0.1:" + blackhole.port());
            for (UpstreamServiceCheck check : List.of(UpstreamServiceCheck.heartbeat(base), UpstreamServiceCheck.lbheartbeat(base))) {
                long start = System.nanoTime();
                CheckMessage m = single(check.withTimeout(WAIT).run());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(m.id()).isEqualTo("dockerflow.health.E015");
                assertThat(m.text()).isEqualTo("Upstream " + base + " is unreachable: no answer within 400 ms");
                assertThat(took).isLessThan(WAIT.plus(MARGIN));
            }
            assertThat(blackhole.acceptedCount()).isPositive();
        }
    }

    @Test
    void blackholedUpstreamWithTheDefaultTimeoutIsCutOffByTheHeartbeatAndTheCheckEnds() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            Duration heartbeatTimeout = Duration.ofMillis(300);
            HeartbeatRun.of("check_orders", UpstreamServiceCheck.heartbeat(URI.create("http://127.0.0.1:" + blackhole.port())),
                    heartbeatTimeout).assertTimedOutWithinAndCheckEnded(heartbeatTimeout.plus(MARGIN));
        }
    }

    @Test
    void lbheartbeatAsksOnlyWhetherTheUpstreamIsUp() throws Exception {
        upstream.answer(200, "");
        assertThat(UpstreamServiceCheck.lbheartbeat(upstream.base()).run()).isEmpty();
        upstream.answer(200, heartbeatBody("error"));
        assertThat(UpstreamServiceCheck.lbheartbeat(upstream.base()).run()).as("lbheartbeat bodies are not read").isEmpty();
        upstream.answer(503, "");
        CheckMessage draining = single(UpstreamServiceCheck.lbheartbeat(upstream.base()).run());
        assertThat(draining.id()).isEqualTo("dockerflow.health.E016");
        assertThat(draining.text()).isEqualTo("Upstream " + shown() + " is failing: HTTP 503");
        assertThat(upstream.requests).containsOnly("GET /__lbheartbeat__");
    }

    @Test
    void baseUriPathIsKeptAndCredentialsAreSentButNeverShown() throws Exception {
        int port = upstream.base().getPort();
        upstream.answer(500, heartbeatBody("error"));
        UpstreamServiceCheck check = UpstreamServiceCheck.heartbeat(URI.create("http://svc:s3cr%40t@127.0.0.1:" + port + "/orders"))
                .withHeader("X-Api-Key", "key-987");
        CheckMessage m = single(check.run());
        assertThat(m.text()).isEqualTo("Upstream http://127.0.0.1:" + port + "/orders is failing: heartbeat status \"error\" (HTTP 500)")
                .doesNotContain("svc", "s3cr", "key-987");
        assertThat(upstream.requests).containsExactly("GET /orders/__heartbeat__");
        assertThat(upstream.authorizations).containsExactly(
                "Basic " + Base64.getEncoder().encodeToString("svc:s3cr@t".getBytes(StandardCharsets.UTF_8)));
        assertThat(check.toString()).doesNotContain("s3cr", "key-987");
    }

    @Test
    void badArgumentsAreRefusedWithTheirValueButNoSecret() {
        assertThatThrownBy(() -> UpstreamServiceCheck.heartbeat(URI.create("ftp://127.0.0.1/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got ftp://127.0.0.1/x");
        assertThatThrownBy(() -> UpstreamServiceCheck.heartbeat(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute http or https");
        assertThatThrownBy(() -> UpstreamServiceCheck.heartbeat(URI.create("http://u:pw1@127.0.0.1:1/x?token=tok1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got http://127.0.0.1:1/x")
                .message().doesNotContain("pw1", "tok1");
        UpstreamServiceCheck check = UpstreamServiceCheck.heartbeat(upstream.base());
        assertThatThrownBy(() -> check.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> check.withName("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check.withHeader("Bad Header", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad Header'");
        try (HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            assertThatThrownBy(() -> check.withHttpClient(following)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NORMAL");
        }
        assertThat(check.name()).isEqualTo("check_upstream").isEqualTo(UpstreamServiceCheck.NAME);
        assertThat(check.withName("check_orders").name()).isEqualTo("check_orders");
        assertThat(check.probe()).isEqualTo(UpstreamServiceCheck.Probe.HEARTBEAT);
        assertThat(check.timeout()).isEqualTo(Duration.ofMillis(UpstreamServiceCheck.DEFAULT_TIMEOUT_MILLIS));
    }

    @Test
    void aClientOfTheServicesOwnIsUsed() throws Exception {
        upstream.answer(200, heartbeatBody("ok"));
        try (HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(UpstreamServiceCheck.heartbeat(upstream.base()).withHttpClient(own).run()).isEmpty();
        }
    }
}
