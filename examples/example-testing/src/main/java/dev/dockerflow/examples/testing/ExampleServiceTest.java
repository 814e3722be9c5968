package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * What every example service must do, checked on its real {@code main} in its own
 * process: once with the defaults (embedded H2, no Redis) and once with PostgreSQL and
 * Redis. An example's test extends this and names its main class.
 */
@Timeout(180)
public abstract class ExampleServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The service's main class.
     *
     * @return a fully qualified class name
     */
    protected abstract String mainClass();

    private HttpResponse<String> get(ServiceProcess service, String path, String requestId) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("X-Request-ID", requestId).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void exerciseEveryEndpoint(ServiceProcess service, String... checks) throws Exception {
        HttpResponse<String> lb = get(service, "/__lbheartbeat__", "lb-1");
        assertThat(lb.statusCode()).isEqualTo(200);
        assertThat(lb.body()).isEmpty();

        HttpResponse<String> heartbeat = get(service, "/__heartbeat__", "hb-1");
        assertThat(heartbeat.statusCode()).as(heartbeat.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(heartbeat.body());
        assertThat(report.get("status").asText()).isEqualTo("ok");
        for (String check : checks) {
            assertThat(report.get("checks").get(check).asText()).as(check).isEqualTo("ok");
        }
        assertThat(report.get("checks").size()).isEqualTo(checks.length);

        HttpResponse<String> version = get(service, "/__version__", "v-1");
        assertThat(version.statusCode()).isEqualTo(200);
        JsonNode v = JSON.readTree(version.body());
        assertThat(v.get("version").asText()).isNotBlank().doesNotContain("${");
        assertThat(v.get("commit").asText()).isNotBlank().doesNotContain("${");
        assertThat(v.get("source").asText()).startsWith("https://");
        assertThat(v.get("build").asText()).isNotBlank().doesNotContain("${");

        HttpResponse<String> created = post(service, "/notes", "remember the milk");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("body").asText()).isEqualTo("remember the milk");
        HttpResponse<String> list = get(service, "/notes", "notes-1");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get(0).get("body").asText()).isEqualTo("remember the milk");
        assertThat(list.headers().firstValue("X-Request-ID")).contains("notes-1");
        HttpResponse<String> count = get(service, "/notes/count", "count-1");
        assertThat(JSON.readTree(count.body()).get("count").asLong()).isEqualTo(1);
        assertThat(post(service, "/notes", "").statusCode()).isEqualTo(400);

        HttpResponse<String> metrics = get(service, "/metrics", "m-1");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("dockerflow_heartbeat");

        JsonNode summary = service.awaitSummary(n -> n.get("Fields").get("rid").asText().equals("notes-1"),
                Duration.ofSeconds(10));
        assertThat(summary.get("Fields").get("path").asText()).isEqualTo("/notes");
        assertThat(summary.get("Fields").get("code").asInt()).isEqualTo(200);
        assertThat(summary.get("Logger").asText()).isNotBlank();
        service.awaitSummary(n -> n.get("Fields").get("rid").asText().equals("hb-1")
                && n.get("Fields").get("path").asText().equals("/__heartbeat__"), Duration.ofSeconds(10));
        service.awaitSummary(n -> n.get("Fields").get("rid").asText().equals("lb-1"), Duration.ofSeconds(10));
        // every line on stdout is one mozlog JSON object, application logs included
        assertThat(service.stdoutJson()).allSatisfy(line -> {
            assertThat(line.has("Timestamp")).isTrue();
            assertThat(line.get("EnvVersion").asText()).isEqualTo("2.0");
            assertThat(line.get("Fields").isObject()).isTrue();
        });
        assertThat(service.stdoutJson()).anySatisfy(line ->
                assertThat(line.get("Type").asText()).isNotEqualTo("request.summary"));
    }

    /** SIGTERM: the drain the service is configured with ({@code null}: none), then a clean stop, exit status 0. */
    private static void stopsCleanly(ServiceProcess service, String drainLine) throws Exception {
        int exit = service.terminate(Duration.ofSeconds(30));
        assertThat(service.stdout()).as("exit %d, stderr %s", exit, service.stderr()).anySatisfy(line -> assertThat(line).contains("Connection pool and clients closed"));
        assertThat(service.stdout()).anySatisfy(line -> assertThat(line).contains("Stopped"));
        if (drainLine != null) {
            assertThat(service.stdout()).anySatisfy(line -> assertThat(line).contains(drainLine));
        } else {
            assertThat(service.stdout()).noneSatisfy(line -> assertThat(line).contains("Draining for"));
        }
        assertThat(exit).as("exit status").isZero();
    }

    /**
     * Whether the packaged jar holds its libraries (a Spring Boot jar, under
     * {@code BOOT-INF/lib/}) instead of reading them from {@code lib/} beside it.
     *
     * @return {@code false} unless overridden
     */
    protected boolean selfContainedJar() {
        return false;
    }

    @Test
    void theServiceUnderTestIsThePackagedJar() throws Exception {
        String jar = System.getProperty("service.jar");
        assertThat(jar).as("the build passes the packaged jar as service.jar").isNotNull();
        assertThat(java.nio.file.Path.of(jar)).isRegularFile();
        if (selfContainedJar()) {
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
                assertThat(file.stream().map(java.util.jar.JarEntry::getName))
                        .as("libraries inside %s", jar).anyMatch(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"));
            }
        } else {
            assertThat(java.nio.file.Path.of(jar).resolveSibling("lib")).isDirectory();
        }
    }

    @Test
    void runsWithTheDefaults() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(mainClass(), Map.of())) {
            exerciseEveryEndpoint(service, "check_database_connected", "check_migrations_applied");
            // the examples drain for 3 s unless DOCKERFLOW_SHUTDOWN_DRAIN_MS says otherwise
            stopsCleanly(service, "Draining for 3000 ms before the server stops");
        }
    }

    @Test
    void runsOnPostgresqlAndRedis() throws Exception {
        Backends.requireListening("PostgreSQL", 5432);
        Backends.requireListening("Redis", 6379);
        String schema = "example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(Backends.POSTGRES_URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String databaseUrl = Backends.POSTGRES_URL + "&currentSchema=" + schema;
        try (ServiceProcess service = ServiceProcess.start(mainClass(),
                Map.of("DATABASE_URL", databaseUrl, "REDIS_URL", Backends.REDIS_URL,
                        "DOCKERFLOW_LOGGER_NAME", "notes-example", "DOCKERFLOW_SHUTDOWN_DRAIN_MS", "0"))) {
            exerciseEveryEndpoint(service, "check_database_connected", "check_migrations_applied", "check_redis_connected");
            JsonNode summary = service.awaitSummary(n -> true, Duration.ofSeconds(5));
            assertThat(summary.get("Logger").asText()).isEqualTo("notes-example");
            stopsCleanly(service, null);
        } finally {
            try (Connection c = DriverManager.getConnection(Backends.POSTGRES_URL); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            try (RedisClient redis = RedisClient.create(URI.create(Backends.REDIS_URL))) {
                redis.del("dockerflow-example:notes:count:" + Integer.toHexString(databaseUrl.hashCode()));
            }
        }
    }

    @Test
    void aRequestInFlightAtSigtermStillGetsItsAnswer() throws Exception {
        // Redis that accepts connections and never answers: the heartbeat's Redis check holds
        // the request until the client's 2 s socket timeout (below the configured 3 s check
        // timeout), long enough to stop the service meanwhile.
        try (Blackhole redis = Blackhole.start();
             ServiceProcess service = ServiceProcess.start(mainClass(),
                     Map.of("REDIS_URL", "redis://127.0.0.1:" + redis.port(), "DOCKERFLOW_SHUTDOWN_DRAIN_MS", "0"))) {
            // connections the service made at start-up (its Redis client may connect then) are not the check's
            int atStartUp = redis.connections();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/__heartbeat__"))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            // the heartbeat is in flight once its Redis check has connected to the blackhole
            assertThat(redis.awaitConnections(atStartUp + 1, 10_000)).as("the Redis check connected").isTrue();
            if (inFlight.isDone()) {
                // say what answered early, so a failure here can be diagnosed
                HttpResponse<String> early = inFlight.join();
                throw new AssertionError("the heartbeat should still be waiting on Redis, but answered "
                        + early.statusCode() + " " + early.body() + "\nservice stdout:\n" + String.join("\n", service.stdout()));
            }
            service.terminate(Duration.ofSeconds(30));
            HttpResponse<String> answer = inFlight.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(answer.body()).get("checks").get("check_redis_connected").asText()).isEqualTo("error");
            assertThat(service.stdout()).anySatisfy(line -> assertThat(line).contains("Connection pool and clients closed"));
        }
    }

    @Test
    void aBadSettingStopsStartUpNamingIt() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(mainClass(), Map.of("DOCKERFLOW_CHECK_TIMEOUT_MS", "soon"))) {
            throw new AssertionError("the service started with a bad DOCKERFLOW_CHECK_TIMEOUT_MS on " + service.baseUrl());
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("exited with 2")
                    .contains("DOCKERFLOW_CHECK_TIMEOUT_MS=\"soon\" is not valid")
                    .doesNotContain("\tat ");
        }
    }
}
