package dev.dockerflow.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.checks.disk.DiskSpaceCheck;
import dev.dockerflow.checks.disk.DiskSpaceThreshold;
import dev.dockerflow.checks.lettuce.LettuceRedisCheck;
import dev.dockerflow.checks.liquibase.LiquibaseMigrationsCheck;
import dev.dockerflow.checks.support.Services;
import dev.dockerflow.checks.upstream.UpstreamServiceCheck;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage the README shows for the Lettuce, Liquibase, upstream and disk checks, compiled and run. */
class MoreChecksReadmeUsageTest {

    private static Dockerflow dockerflow(StatefulRedisConnection<String, String> connection, DataSource dataSource,
            String changeLog, URI ordersBaseUri, Path dataDirectory) {
        // --- README: More checks ---
        LettuceRedisCheck redis = LettuceRedisCheck.of(connection);
        LiquibaseMigrationsCheck migrations = LiquibaseMigrationsCheck.of(dataSource, changeLog);
        UpstreamServiceCheck orders = UpstreamServiceCheck.heartbeat(ordersBaseUri)
                .withName("check_orders_service");
        DiskSpaceCheck disk = DiskSpaceCheck.of(dataDirectory,
                DiskSpaceThreshold.parse("2GiB"), DiskSpaceThreshold.parse("500MiB"));

        return Dockerflow.builder()
                .check(redis.name(), redis)
                .check(migrations.name(), migrations)
                .check(orders.name(), orders)
                .check(disk.name(), disk)
                .build();
    }

    @Test
    void fourChecksBehindOneHeartbeat(@TempDir Path dataDirectory) throws Exception {
        Services.assumeRedis();
        HttpServer orders = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        orders.createContext("/__heartbeat__", exchange -> {
            byte[] body = "{\"status\":\"warning\",\"checks\":{},\"details\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        orders.start();
        RedisClient client = RedisClient.create();
        Logger liquibaseLog = Logger.getLogger("liquibase");
        java.util.logging.Level liquibaseLevel = liquibaseLog.getLevel();
        liquibaseLog.setLevel(java.util.logging.Level.WARNING);
        try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(Services.HOST, Services.REDIS_PORT))) {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:readme-more;DB_CLOSE_DELAY=-1");
            URI ordersBaseUri = URI.create("http://127.0.0.1:" + orders.getAddress().getPort());

            // Liquibase's first start in a JVM takes seconds on a busy machine (longer than the check
            // timeout): start it here, outside any heartbeat, as a long-running service would have
            LiquibaseMigrationsCheck.of(dataSource, "liquibase/items.xml").run();
            // the same for the JDK's HTTP client and server behind the upstream check, whose first
            // exchange in a JVM can take longer than the check's 2 s on a busy machine
            UpstreamServiceCheck.heartbeat(ordersBaseUri).withTimeout(Duration.ofSeconds(30)).run();
            Dockerflow dockerflow = dockerflow(connection, dataSource, "liquibase/items.xml", ordersBaseUri, dataDirectory);
            HeartbeatReport report = dockerflow.heartbeat();
            // The Liquibase check's first run starts Liquibase on a thread of its own; it reports I002 until that is done.
            for (int i = 0; i < 20 && json(report).contains("dockerflow.health.I002"); i++) {
                report = dockerflow.heartbeat();
            }

            assertThat(report.passed()).as("%s", json(report)).isTrue();
            assertThat(json(report))
                    .contains("\"checks\":{\"check_redis_connected\":\"ok\",\"check_migrations_applied\":\"warning\","
                            + "\"check_orders_service\":\"warning\",\"check_disk_space\":")
                    .contains("\"dockerflow.health.W001\":\"Unapplied migrations found: liquibase/items.xml::1::dockerflow, "
                            + "liquibase/items.xml::2::dockerflow\"")
                    .contains("\"dockerflow.health.W003\":\"Upstream " + ordersBaseUri
                            + " reports warning: heartbeat status \\\"warning\\\" (HTTP 200)\"");
        } finally {
            liquibaseLog.setLevel(liquibaseLevel);
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            orders.stop(0);
        }
    }

    private static String json(HeartbeatReport report) {
        return new String(report.toJson(true), java.nio.charset.StandardCharsets.UTF_8);
    }
}
