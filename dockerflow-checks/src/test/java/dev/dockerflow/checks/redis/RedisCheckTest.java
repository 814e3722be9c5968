package dev.dockerflow.checks.redis;

import static dev.dockerflow.checks.support.Services.HOST;
import static dev.dockerflow.checks.support.Services.REDIS_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Heartbeat;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.BlackholeServer;
import dev.dockerflow.checks.support.HeartbeatRun;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.RedisServerProcess;
import dev.dockerflow.checks.support.RespOkServer;
import dev.dockerflow.checks.support.Services;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.RedisClient;

class RedisCheckTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    // Generous: two shared cores, other builds running at the same time.
    private static final Duration MARGIN = Duration.ofMillis(2500);

    private static RedisClient client(int port) {
        return RedisClient.create(HOST, port);
    }

    private static RedisClient client(int port, String password) {
        return RedisClient.builder().hostAndPort(HOST, port)
                .clientConfig(DefaultJedisClientConfig.builder().password(password).build()).build();
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @Test
    void redisThatAnswersPongIsHealthyThroughAPooledClient() {
        Services.assumeRedis();
        try (RedisClient client = client(REDIS_PORT)) {
            RedisCheck check = RedisCheck.of(client);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void redisThatAnswersPongIsHealthyThroughAJedisPoolAndTheConnectionGoesBack() {
        Services.assumeRedis();
        try (JedisPool pool = new JedisPool(HOST, REDIS_PORT)) {
            RedisCheck check = RedisCheck.of(pool);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).isEmpty();
            assertThat(pool.getNumActive()).isZero();
        }
    }

    @Test
    void portWithNothingListeningCannotConnect() {
        int port = Ports.closed();
        try (RedisClient client = client(port)) {
            CheckMessage m = single(RedisCheck.of(client).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).startsWith("Could not connect to redis: ").contains(String.valueOf(port));
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void jedisPoolWithNothingListeningCannotConnect() {
        int port = Ports.closed();
        try (JedisPool pool = new JedisPool(HOST, port)) {
            CheckMessage m = single(RedisCheck.of(pool).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.text()).startsWith("Could not connect to redis: ");
        }
    }

    @Test
    void blackholeStillGetsAnErrorAnswerWithinTheTimeout() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start(); RedisClient client = client(blackhole.port())) {
            HeartbeatRun.of(RedisCheck.NAME, RedisCheck.of(client), SHORT_TIMEOUT)
                    .assertTimedOutWithinAndCheckEnded(SHORT_TIMEOUT.plus(MARGIN));
        }
    }

    @Test
    void blackholeAloneIsBoundedByTheClientSocketTimeout() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start();
             RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(HOST, blackhole.port()))
                     .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(300).build()).build()) {
            long start = System.nanoTime();
            CheckMessage m = single(RedisCheck.of(client).run());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
            assertThat(m.text()).containsIgnoringCase("timed out");
            assertThat(took).isLessThan(Duration.ofMillis(300).plus(MARGIN));
            assertThat(blackhole.acceptedCount()).isPositive();
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void refusedAuthenticationCannotConnectAsInPythonDockerflowAndNamesNoPassword() throws Exception {
        String password = "Right-" + UUID.randomUUID();
        String wrong = "Wrong-" + UUID.randomUUID();
        try (RedisServerProcess server = RedisServerProcess.start("--requirepass", password)) {
            try (RedisClient right = client(server.port(), password)) {
                assertThat(RedisCheck.of(right).run()).isEmpty();
            }
            try (RedisClient client = client(server.port(), wrong)) {
                CheckMessage m = single(RedisCheck.of(client).run());
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
                assertThat(m.level()).isEqualTo(Level.ERROR);
                assertThat(m.text()).startsWith("Could not connect to redis: ").contains("WRONGPASS")
                        .doesNotContain(wrong, password);
            }
            try (RedisClient anonymous = client(server.port())) {
                CheckMessage m = single(RedisCheck.of(anonymous).run());
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
                assertThat(m.text()).startsWith("Could not connect to redis: ").contains("NOAUTH");
            }
            try (JedisPool pool = new JedisPool(new GenericObjectPoolConfig<>(), HOST, server.port(), 2000, wrong)) {
                CheckMessage m = single(RedisCheck.of(pool).run());
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E004");
                assertThat(m.text()).startsWith("Could not connect to redis: ").contains("WRONGPASS")
                        .doesNotContain(wrong, password);
            }
        }
    }

    @Test
    void errorReplyToPingIsARedisError() throws Exception {
        // A Redis of the test's own where PING is disabled answers it with -ERR unknown command.
        try (RedisServerProcess server = RedisServerProcess.start("--rename-command", "PING", "");
             RedisClient client = client(server.port())) {
            CheckMessage m = single(RedisCheck.of(client).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E010");
            // quoted, as python-dockerflow quotes it: Redis error: "ERR unknown command 'PING', ..."
            assertThat(m.text()).startsWith("Redis error: \"ERR ").endsWith("\"").containsIgnoringCase("unknown command");
        }
    }

    @Test
    void replyOtherThanPongIsAFailedPing() throws Exception {
        try (RespOkServer server = RespOkServer.start(); RedisClient client = client(server.port())) {
            CheckMessage m = single(RedisCheck.of(client).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E007");
            assertThat(m.text()).isEqualTo("Redis ping failed: expected PONG, got 'OK'");
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void factoriesNameTheCheck() {
        try (RedisClient client = client(Ports.closed()); JedisPool pool = new JedisPool(HOST, Ports.closed())) {
            assertThat(RedisCheck.of(client).name()).isEqualTo("check_redis_connected").isEqualTo(RedisCheck.NAME);
            assertThat(RedisCheck.of(pool).name()).isEqualTo("check_redis_connected");
            assertThat(RedisCheck.of(client, "sessions").name()).isEqualTo("sessions");
            assertThat(RedisCheck.of(pool, "cache").name()).isEqualTo("cache");
            assertThatThrownBy(() -> RedisCheck.of(client, " ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RedisCheck.of((RedisClient) null)).isInstanceOf(NullPointerException.class);
        }
    }
}
