package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.test.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An example service on PostgreSQL through a loopback TCP proxy whose network fails: traffic
 * swallowed while the pool is busy, then let through again; then slowed to one byte per
 * second. And the same service's log while it is healthy. An example's test extends this and
 * names its main class.
 */
@Timeout(120)
public abstract class DatabaseFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACTIVE = Pattern.compile(
            "(?m)^hikaricp_connections_active\\{[^}]*pool=\"notes\"[^}]*} ([0-9.]+)");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private String schema;

    /**
     * The service's main class.
     *
     * @return a fully qualified class name
     */
    protected abstract String mainClass();

    @BeforeEach
    void createSchema() throws Exception {
        Backends.requireListening("PostgreSQL", 5432);
        schema = "fault_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(Backends.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(Backends.POSTGRES_URL); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private ServiceProcess start(int databasePort) throws Exception {
        return ServiceProcess.start(mainClass(), Map.of("DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:" + databasePort + "/test?user=postgres&currentSchema=" + schema));
    }

    private HttpResponse<String> get(ServiceProcess service, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double activeConnections(String scrape) {
        Matcher m = ACTIVE.matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void aPoolStuckBehindASwallowingNetworkRecoversWithinSecondsAndACrawlingDatabaseIsE001() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(5432); ServiceProcess service = start(proxy.port())) {
            HttpResponse<String> healthy = get(service, "/__heartbeat__");
            assertThat(healthy.statusCode()).as(healthy.body()).isEqualTo(200);

            // Keep every pooled connection busy, then swallow the traffic: the queries in flight
            // never get their answers, as on a network that drops packets.
            AtomicBoolean loading = new AtomicBoolean(true);
            List<CompletableFuture<Void>> loaders = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                loaders.add(CompletableFuture.runAsync(() -> {
                    while (loading.get()) {
                        try {
                            get(service, "/notes");
                        } catch (Exception e) {
                            return;
                        }
                    }
                }, r -> Thread.ofVirtual().start(r)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (activeConnections(get(service, "/metrics").body()) < 8 && System.nanoTime() < deadline) {
                // the loaders fill the pool
            }
            proxy.mode(TcpProxy.Mode.SWALLOW);
            // the loaders go on until every connection given back has been taken again and is stuck
            double stuck = 0;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (stuck < 8 && System.nanoTime() < deadline) {
                stuck = activeConnections(get(service, "/metrics").body());
            }
            loading.set(false);
            assertThat(stuck).as("pooled connections stuck behind the swallowing network").isEqualTo(8);

            HttpResponse<String> blackholed = get(service, "/__heartbeat__");
            assertThat(blackholed.statusCode()).as(blackholed.body()).isEqualTo(500);

            proxy.mode(TcpProxy.Mode.FORWARD);
            long back = System.nanoTime();
            long until = back + TimeUnit.SECONDS.toNanos(10);
            int heartbeat = 0;
            int notes = 0;
            while ((heartbeat != 200 || notes != 200) && System.nanoTime() < until) {
                heartbeat = get(service, "/__heartbeat__").statusCode();
                notes = get(service, "/notes").statusCode();
            }
            Duration recovered = Duration.ofNanos(System.nanoTime() - back);
            System.out.println("After the network came back (pool stuck with " + (int) stuck + " connections): heartbeat "
                    + heartbeat + " and /notes " + notes + " at " + recovered.toMillis() + " ms");
            assertThat(heartbeat).as("heartbeat within 10 s of the network coming back").isEqualTo(200);
            assertThat(notes).as("/notes within 10 s of the network coming back").isEqualTo(200);
            CompletableFuture.allOf(loaders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            // One byte per second each way: every heartbeat fails, with E001 from the database check.
            proxy.mode(TcpProxy.Mode.SLOW);
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> crawling = get(service, "/__heartbeat__");
                assertThat(crawling.statusCode()).as(crawling.body()).isEqualTo(500);
                JsonNode database = JSON.readTree(crawling.body()).path("details").path("check_database_connected");
                assertThat(database.path("messages").has("dockerflow.health.E001")).as(crawling.body()).isTrue();
                assertThat(database.path("messages").path("dockerflow.health.E001").asText())
                        .startsWith("Could not connect to database: ");
            }
            proxy.mode(TcpProxy.Mode.FORWARD);
        }
    }

    @Test
    void aThousandHealthyHeartbeatsWriteOnlyTheirSummaries() throws Exception {
        try (ServiceProcess service = start(5432)) {
            HttpResponse<String> first = get(service, "/__heartbeat__");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            service.awaitSummary(n -> n.path("Fields").path("path").asText().equals("/__heartbeat__"), Duration.ofSeconds(10));
            int before = service.stdout().size();

            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> answer = get(service, "/__heartbeat__");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (service.stdout().size() < before + 1000 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            List<JsonNode> after = service.stdoutJson().subList(before, service.stdoutJson().size());
            List<JsonNode> others = after.stream()
                    .filter(line -> !"request.summary".equals(line.path("Type").asText())).toList();
            System.out.println("1,000 healthy heartbeats: " + (after.size() - others.size()) + " summary lines, "
                    + others.size() + " other lines");
            assertThat(after.size() - others.size()).as("summary lines").isEqualTo(1000);
            assertThat(others).as("lines other than summaries during 1,000 healthy heartbeats").hasSizeLessThanOrEqualTo(3);
        }
    }
}
