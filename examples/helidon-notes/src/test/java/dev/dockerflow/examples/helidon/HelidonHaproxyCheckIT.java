package dev.dockerflow.examples.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.examples.testing.Backends;
import dev.dockerflow.examples.testing.ServiceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HAProxy health check that dockerflow-helidon's README documents, run by a real HAProxy
 * on loopback against the example: it marks the instance up and traffic reaches it, where
 * HAProxy's default check (HTTP/1.0, which Helidon answers with 505) marks it down.
 */
@Timeout(120)
class HelidonHaproxyCheckIT {

    private static final Path README = Path.of("../../dockerflow-helidon/README.md");

    /** The check lines of the README's {@code haproxy} block, as written. */
    static List<String> documentedBackend() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("```haproxy\n");
        assertThat(start).as("a haproxy block in %s", README).isNotNegative();
        int end = readme.indexOf("```", start + 1);
        return readme.substring(start + "```haproxy\n".length(), end).lines().toList();
    }

    @Test
    void theDocumentedCheckMarksTheHelidonExampleUpWhereHaproxysDefaultMarksItDown() throws Exception {
        Path haproxy = Backends.requireProgram("haproxy", "apt-get install haproxy, or .ci/install-haproxy");
        List<String> documented = documentedBackend();
        assertThat(documented).contains("    option httpchk",
                "    http-check send meth GET uri /__lbheartbeat__ ver HTTP/1.1 hdr Host notes.internal",
                "    http-check expect status 200");
        Path dir = Files.createTempDirectory("haproxy-check-");
        try (ServiceProcess service = ServiceProcess.start(Main.class.getName(), Map.of("DOCKERFLOW_SHUTDOWN_DRAIN_MS", "0"))) {
            int statsPort = freePort();
            int webPort = freePort();
            List<String> config = new ArrayList<>(List.of(
                    "global",
                    "    maxconn 256",
                    "defaults",
                    "    mode http",
                    "    timeout connect 2s",
                    "    timeout client 10s",
                    "    timeout server 10s",
                    "frontend stats",
                    "    bind 127.0.0.1:" + statsPort,
                    "    stats enable",
                    "    stats uri /stats",
                    "frontend web",
                    "    bind 127.0.0.1:" + webPort,
                    "    default_backend notes"));
            for (String line : documented) {
                // the README's server line, pointed at the example and checking faster
                config.add(line.strip().startsWith("server ")
                        ? "    server web-1 127.0.0.1:" + service.port() + " check inter 200ms fall 2 rise 2" : line);
            }
            config.addAll(List.of(
                    "backend haproxy-default",
                    "    option httpchk GET /__lbheartbeat__",
                    "    http-check expect status 200",
                    "    server web-1 127.0.0.1:" + service.port() + " check inter 200ms fall 2 rise 2"));
            Path cfg = dir.resolve("haproxy.cfg");
            Files.write(cfg, config);
            Path out = dir.resolve("haproxy.out");
            Process proxy = new ProcessBuilder(haproxy.toString(), "-f", cfg.toString(), "-db")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                Map<String, Map<String, String>> state = awaitChecked(client, statsPort, proxy, out);
                assertThat(state.get("notes")).as("the documented check; haproxy said:\n%s", Files.readString(out))
                        .containsEntry("status", "UP").containsEntry("check_status", "L7OK").containsEntry("check_code", "200");
                assertThat(state.get("haproxy-default")).as("HAProxy's default check")
                        .containsEntry("status", "DOWN").containsEntry("check_code", "505");

                HttpResponse<String> through = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + webPort + "/notes/count")).header("X-Request-ID", "via-haproxy")
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(through.statusCode()).isEqualTo(200);
                assertThat(through.headers().firstValue("X-Request-ID")).contains("via-haproxy");
                service.awaitSummary(n -> n.get("Fields").get("rid").asText().equals("via-haproxy"), Duration.ofSeconds(10));
                // the checks themselves reach the example as HTTP/1.1 and are summarized like any request
                service.awaitSummary(n -> n.get("Fields").get("path").asText().equals("/__lbheartbeat__")
                        && n.get("Fields").get("code").asInt() == 200, Duration.ofSeconds(10));
            } finally {
                proxy.destroy();
                if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly();
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Reads HAProxy's stats until both servers have been checked (bounded). */
    private static Map<String, Map<String, String>> awaitChecked(HttpClient client, int statsPort, Process proxy, Path out)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Map<String, String>> state = Map.of();
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new AssertionError("haproxy exited with " + proxy.exitValue() + ":\n" + Files.readString(out));
            }
            try {
                state = servers(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
                if (state.size() == 2 && state.values().stream().allMatch(s -> settled(s.get("status")))) {
                    return state;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("HAProxy's checks did not settle: " + state + "\n" + Files.readString(out));
    }

    /** UP or DOWN, not a state on the way ("UP 1/2", "DOWN 1/2", "no check"). */
    private static boolean settled(String status) {
        return "UP".equals(status) || "DOWN".equals(status);
    }

    /** The CSV stats by backend, for each backend's server line. */
    private static Map<String, Map<String, String>> servers(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> columns = Arrays.asList(lines.getFirst().replaceFirst("^# ", "").split(",", -1));
        Map<String, Map<String, String>> servers = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            if (values.length < columns.size() || !values[1].equals("web-1")) {
                continue;
            }
            Map<String, String> server = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                server.put(columns.get(i), values[i]);
            }
            servers.put(values[0], server);
        }
        return servers;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
