package dev.dockerflow.checks.lettuce;

import static dev.dockerflow.checks.support.Services.HOST;
import static dev.dockerflow.checks.support.Services.REDIS_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.BlackholeServer;
import dev.dockerflow.checks.support.HeartbeatRun;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.RedisServerProcess;
import dev.dockerflow.checks.support.RespOkServer;
import dev.dockerflow.checks.support.Services;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

class LettuceRedisCheckTest {

    private static final Duration WAIT = Duration.ofMillis(400);
    // Generous: two shared cores, other builds running at the same time.
    private static final Duration MARGIN = Duration.ofMillis(2500);

    // Lettuce logs every reconnect attempt with a stack trace; the tests provoke them on purpose.
    private static final Logger LETTUCE_LOG = Logger.getLogger("io.lettuce");
    private static java.util.logging.Level lettuceLevel;
    private static ClientResources resources;

    @BeforeAll
    static void startResources() {
        lettuceLevel = LETTUCE_LOG.getLevel();
        LETTUCE_LOG.setLevel(java.util.logging.Level.OFF);
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    }

    @AfterAll
    static void stopResources() {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        LETTUCE_LOG.setLevel(lettuceLevel);
    }

    private static RedisURI uri(int port) {
        return RedisURI.create(HOST, port);
    }

    private static RedisURI uri(int port, String password) {
        return RedisURI.builder().withHost(HOST).withPort(port).withPassword(password.toCharArray()).build();
    }

    private static RedisClient client() {
        return RedisClient.create(resources);
    }

    private static void shutdown(RedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @Test
    void redisThatAnswersPongIsHealthyOverTheServicesConnection() throws Exception {
        Services.assumeRedis();
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> connection = client.connect(uri(REDIS_PORT))) {
            LettuceRedisCheck check = LettuceRedisCheck.of(connection);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).isEmpty();
            assertThat(connection.isOpen()).as("the check never closes the service's connection").isTrue();
        } finally {
            shutdown(client);
        }
    }

    @Test
    void redisThatAnswersPongIsHealthyThroughTheClientAndTheConnectionIsClosedAfterwards() throws Exception {
        Services.assumeRedis();
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> observer = client.connect(uri(REDIS_PORT))) {
            LettuceRedisCheck check = LettuceRedisCheck.of(client, uri(REDIS_PORT));
            long before = connectedClients(observer);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).isEmpty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (connectedClients(observer) > before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(connectedClients(observer)).as("connections the check opened are closed").isEqualTo(before);
        } finally {
            shutdown(client);
        }
    }

    private static long connectedClients(StatefulRedisConnection<String, String> connection) {
        return connection.sync().clientList().lines().filter(line -> line.contains("lib-name=Lettuce")).count();
    }

    @Test
    void portWithNothingListeningCannotConnect() throws Exception {
        int port = Ports.closed();
        RedisClient client = client();
        try {
            CheckMessage m = single(LettuceRedisCheck.of(client, uri(port)).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).startsWith("Could not connect to redis: ").contains(String.valueOf(port));
        } finally {
            shutdown(client);
        }
    }

    @Test
    void killedRedisCannotConnectUntilItIsBackAndTheConnectionReconnects() throws Exception {
        RedisClient client = client();
        RedisServerProcess server = RedisServerProcess.start();
        int port = server.port();
        try (StatefulRedisConnection<String, String> connection = client.connect(uri(port))) {
            ConnectionEvents events = ConnectionEvents.on(connection);
            LettuceRedisCheck check = LettuceRedisCheck.of(connection).withTimeout(WAIT);
            assertThat(check.run()).isEmpty();

            server.close();
            events.awaitDisconnected();
            CheckMessage down = single(check.run());
            assertThat(down.id()).as(down.text()).isEqualTo("dockerflow.health.E004");
            assertThat(down.text()).isEqualTo("Could not connect to redis: the connection is closed or reconnecting");
            CheckMessage throughClient = single(LettuceRedisCheck.of(client, uri(port)).run());
            assertThat(throughClient.id()).as(throughClient.text()).isEqualTo("dockerflow.health.E004");

            server = RedisServerProcess.startOn(port);
            events.awaitReconnected();
            assertThat(check.run()).isEmpty();
        } finally {
            server.close();
            shutdown(client);
        }
    }

    @Test
    void wrongOrMissingPasswordCannotConnectAndThePasswordIsNeverShown() throws Exception {
        String password = "Right-" + UUID.randomUUID();
        String wrong = "Wrong-" + UUID.randomUUID();
        RedisClient client = client();
        try (RedisServerProcess server = RedisServerProcess.start("--requirepass", password)) {
            assertThat(LettuceRedisCheck.of(client, uri(server.port(), password)).run()).isEmpty();

            CheckMessage wrongPassword = single(LettuceRedisCheck.of(client, uri(server.port(), wrong)).run());
            assertThat(wrongPassword.id()).as(wrongPassword.text()).isEqualTo("dockerflow.health.E004");
            assertThat(wrongPassword.text()).startsWith("Could not connect to redis: ").contains("WRONGPASS")
                    .doesNotContain(wrong, password);

            CheckMessage noPassword = single(LettuceRedisCheck.of(client, uri(server.port())).run());
            if (noPassword.text().contains("RedisHandshakeHandler not registered")) {
                // Lettuce sometimes loses the server's NOAUTH in a race of its own handshake on a busy
                // machine (the check still says E004); a second connection shows what Redis answered
                noPassword = single(LettuceRedisCheck.of(client, uri(server.port())).run());
            }
            assertThat(noPassword.id()).as(noPassword.text()).isEqualTo("dockerflow.health.E004");
            assertThat(noPassword.text()).startsWith("Could not connect to redis: ").contains("NOAUTH");
        } finally {
            shutdown(client);
        }
    }

    @Test
    void redisRestartedWithAPasswordTheConnectionLacksCannotConnect() throws Exception {
        String password = "Later-" + UUID.randomUUID();
        RedisClient client = client();
        RedisServerProcess server = RedisServerProcess.start();
        int port = server.port();
        CompletableFuture<Throwable> reconnectFailure = new CompletableFuture<>();
        Disposable subscription = resources.eventBus().get()
                .filter(event -> event instanceof ReconnectFailedEvent failed
                        && failed.remoteAddress() instanceof InetSocketAddress address && address.getPort() == port)
                .subscribe(event -> reconnectFailure.complete(((ReconnectFailedEvent) event).getCause()));
        try (StatefulRedisConnection<String, String> connection = client.connect(uri(port))) {
            ConnectionEvents events = ConnectionEvents.on(connection);
            LettuceRedisCheck check = LettuceRedisCheck.of(connection).withTimeout(WAIT);
            assertThat(check.run()).isEmpty();
            server.close();
            events.awaitDisconnected();
            server = RedisServerProcess.startOn(port, "--requirepass", password);
            // Lettuce reconnects, Redis refuses the connection's handshake, and the connection stays closed.
            assertThat(reconnectFailure.get(30, TimeUnit.SECONDS)).hasStackTraceContaining("NOAUTH");

            CheckMessage m = single(check.run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.text()).isEqualTo("Could not connect to redis: the connection is closed or reconnecting");
            CheckMessage fresh = single(LettuceRedisCheck.of(client, uri(port)).run());
            assertThat(fresh.id()).as(fresh.text()).isEqualTo("dockerflow.health.E004");
            assertThat(fresh.text()).contains("NOAUTH").doesNotContain(password);
        } finally {
            subscription.dispose();
            server.close();
            shutdown(client);
        }
    }

    @Test
    void blackholeCannotHoldTheCheckPastItsWait() throws Exception {
        RedisClient client = client();
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            long start = System.nanoTime();
            CheckMessage m = single(LettuceRedisCheck.of(client, uri(blackhole.port())).withTimeout(WAIT).run());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.text()).isEqualTo("Could not connect to redis: no connection within 400 ms");
            assertThat(took).isLessThan(WAIT.plus(MARGIN));
            assertThat(blackhole.acceptedCount()).isPositive();
        } finally {
            shutdown(client);
        }
    }

    @Test
    void blackholeBehindTheHeartbeatAnswersWithTheChecksOwnMessageWhenItsWaitIsShorter() throws Exception {
        RedisClient client = client();
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            HeartbeatRun run = HeartbeatRun.of(LettuceRedisCheck.NAME,
                    LettuceRedisCheck.of(client, uri(blackhole.port())).withTimeout(WAIT), Duration.ofSeconds(5));
            assertThat(run.result().messages()).extracting(CheckMessage::id).containsExactly("dockerflow.health.E004");
            assertThat(run.elapsed()).isLessThan(WAIT.plus(MARGIN));
        } finally {
            shutdown(client);
        }
    }

    @Test
    void blackholeWithTheDefaultWaitIsCutOffByTheHeartbeatAndTheCheckEnds() throws Exception {
        RedisClient client = client();
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            Duration heartbeatTimeout = Duration.ofMillis(300);
            HeartbeatRun.of(LettuceRedisCheck.NAME, LettuceRedisCheck.of(client, uri(blackhole.port())), heartbeatTimeout)
                    .assertTimedOutWithinAndCheckEnded(heartbeatTimeout.plus(MARGIN));
        } finally {
            shutdown(client);
        }
    }

    @Test
    void redisThatStopsAnsweringAnOpenConnectionIsReportedWithinTheWait() throws Exception {
        // A stopped (SIGSTOP) redis-server keeps its sockets: the kernel accepts, nobody answers.
        RedisClient client = client();
        try (RedisServerProcess server = RedisServerProcess.start();
             StatefulRedisConnection<String, String> connection = client.connect(uri(server.port()))) {
            String pid = connection.sync().info("server").lines()
                    .filter(line -> line.startsWith("process_id:")).findFirst().orElseThrow().substring("process_id:".length()).strip();
            LettuceRedisCheck check = LettuceRedisCheck.of(connection).withTimeout(WAIT);
            assertThat(check.run()).isEmpty();
            signal("STOP", pid);
            try {
                long start = System.nanoTime();
                CheckMessage m = single(check.run());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
                assertThat(m.text()).isEqualTo("Could not connect to redis: no answer to PING within 400 ms");
                assertThat(took).isLessThan(WAIT.plus(MARGIN));
            } finally {
                signal("CONT", pid);
            }
            assertThat(check.run()).as("the same connection works again once Redis answers").isEmpty();
        } finally {
            shutdown(client);
        }
    }

    private static void signal(String signal, String pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, pid).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal + " " + pid).isZero();
    }

    @Test
    void errorReplyToPingIsARedisErrorInQuotes() throws Exception {
        // A user of the test's own Redis that may do anything but PING gets -NOPERM for it.
        String password = "Probe-" + UUID.randomUUID();
        RedisClient client = client();
        try (RedisServerProcess server = RedisServerProcess.start()) {
            try (StatefulRedisConnection<String, String> admin = client.connect(uri(server.port()))) {
                admin.sync().aclSetuser("probe", AclSetuserArgs.Builder.on().addPassword(password)
                        .allKeys().allChannels().allCommands().removeCommand(CommandType.PING));
            }
            RedisURI probe = RedisURI.builder().withHost(HOST).withPort(server.port())
                    .withAuthentication("probe", password.toCharArray()).build();
            try (StatefulRedisConnection<String, String> connection = client.connect(probe)) {
                CheckMessage m = single(LettuceRedisCheck.of(connection).run());
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E010");
                assertThat(m.level()).isEqualTo(Level.ERROR);
                assertThat(m.text()).startsWith("Redis error: \"NOPERM ").containsIgnoringCase("ping").endsWith("\"")
                        .doesNotContain(password);
            }
        } finally {
            shutdown(client);
        }
    }

    @Test
    void replyOtherThanPongIsAFailedPing() throws Exception {
        RedisClient client = client();
        try (RespOkServer server = RespOkServer.start()) {
            CheckMessage m = single(LettuceRedisCheck.of(client, uri(server.port())).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E007");
            assertThat(m.text()).isEqualTo("Redis ping failed: expected PONG, got 'OK'");
        } finally {
            shutdown(client);
        }
    }

    @Test
    void clusterConnectionIsCheckedThroughItsDefaultNode(@TempDir Path dir) throws Exception {
        Path nodes = dir.resolve("nodes.conf");
        try (RedisServerProcess server = RedisServerProcess.start("--cluster-enabled", "yes",
                "--cluster-config-file", nodes.toString(), "--dir", dir.toString())) {
            RedisClient setup = client();
            try (StatefulRedisConnection<String, String> connection = setup.connect(uri(server.port()))) {
                connection.sync().clusterAddSlots(IntStream.range(0, 16384).toArray());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!connection.sync().clusterInfo().contains("cluster_state:ok") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(connection.sync().clusterInfo()).contains("cluster_state:ok");
            } finally {
                shutdown(setup);
            }
            assertThat(Files.exists(nodes)).isTrue();
            RedisClusterClient cluster = RedisClusterClient.create(resources, uri(server.port()));
            try {
                StatefulRedisClusterConnection<String, String> connection = cluster.connect();
                LettuceRedisCheck check = LettuceRedisCheck.of(connection);
                assertThat(check.run()).isEmpty();
                connection.close();
                CheckMessage closed = single(check.run());
                assertThat(closed.id()).as(closed.text()).isEqualTo("dockerflow.health.E004");
            } finally {
                cluster.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void factoriesNameTheCheckAndValidateTheirArguments() {
        RedisClient client = client();
        try {
            LettuceRedisCheck check = LettuceRedisCheck.of(client, uri(Ports.closed()));
            assertThat(check.name()).isEqualTo("check_redis_connected").isEqualTo(LettuceRedisCheck.NAME);
            assertThat(check.withName("sessions").name()).isEqualTo("sessions");
            assertThat(check.timeout()).isEqualTo(Duration.ofMillis(LettuceRedisCheck.DEFAULT_TIMEOUT_MILLIS));
            assertThat(check.withTimeout(Duration.ofMillis(750)).timeout()).isEqualTo(Duration.ofMillis(750));
            assertThatThrownBy(() -> check.withName(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("' '");
            assertThatThrownBy(() -> check.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT0S");
            assertThatThrownBy(() -> check.withTimeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PT-0.005S");
            assertThatThrownBy(() -> LettuceRedisCheck.of((StatefulRedisConnection<?, ?>) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("connection");
            assertThatThrownBy(() -> LettuceRedisCheck.of(client, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("uri");
        } finally {
            shutdown(client);
        }
    }

    /** Latches on a connection's disconnect and reconnect events, so a test waits for them and not for time. */
    private static final class ConnectionEvents implements RedisConnectionStateListener {

        private final CountDownLatch disconnected = new CountDownLatch(1);
        private final CountDownLatch reconnected = new CountDownLatch(1);

        static ConnectionEvents on(StatefulRedisConnection<?, ?> connection) {
            ConnectionEvents events = new ConnectionEvents();
            connection.addListener(events);
            return events;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            if (disconnected.getCount() == 0) {
                reconnected.countDown();
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            disconnected.countDown();
        }

        void awaitDisconnected() throws InterruptedException {
            assertThat(disconnected.await(10, TimeUnit.SECONDS)).as("connection saw Redis go away").isTrue();
        }

        void awaitReconnected() throws InterruptedException {
            assertThat(reconnected.await(30, TimeUnit.SECONDS)).as("connection reconnected").isTrue();
        }
    }
}
