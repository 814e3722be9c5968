package dev.dockerflow.checks.lettuce;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks that Redis answers {@code PING} with {@code PONG}, through the service's own
 * Lettuce client: a {@link StatefulRedisConnection}, a {@link StatefulRedisClusterConnection},
 * or a {@link RedisClient} with the {@link RedisURI} to connect to. The counterpart of
 * python-dockerflow's {@code check_redis_connected}, with its ids and texts.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #CANNOT_CONNECT_ID}</td><td>error</td><td>{@code Could not connect to redis: ...}:
 *       the connection was refused or reset, is closed or reconnecting, was not answered within
 *       the wait, or Redis refused the credentials ({@code NOAUTH}, {@code WRONGPASS})</td></tr>
 *   <tr><td>{@value #PING_FAILED_ID}</td><td>error</td><td>{@code Redis ping failed: ...}: Redis
 *       answered something other than {@code PONG}</td></tr>
 *   <tr><td>{@value #REDIS_ERROR_ID}</td><td>error</td><td>{@code Redis error: "..."}: Redis
 *       answered with any other error reply, or the client failed otherwise</td></tr>
 * </table>
 *
 * <p>Timeouts: Lettuce's own command timeout is a minute by default, far beyond a heartbeat,
 * so the check waits for the answer (and, with a {@link RedisClient}, for the connection) at
 * most {@link #timeout()}, {@value #DEFAULT_TIMEOUT_MILLIS} ms unless changed with
 * {@link #withTimeout(Duration)}, and then reports {@value #CANNOT_CONNECT_ID}. A Redis that
 * accepts connections and never replies cannot hold the check longer. A connection that is not
 * open (closed, or reconnecting after Redis went away) is reported at once, without queueing a
 * {@code PING} behind the commands Lettuce holds back while it reconnects.
 *
 * <p>Immutable and thread-safe, as Lettuce's connections and clients are.
 */
public final class LettuceRedisCheck implements Check {

    /** The conventional registration name, {@value}, as in python-dockerflow. */
    public static final String NAME = "check_redis_connected";

    /** Id reported when Redis cannot be reached, does not answer in time, or refuses the credentials. */
    public static final String CANNOT_CONNECT_ID = "dockerflow.health.E004";

    /** Id reported when {@code PING} is not answered with {@code PONG}. */
    public static final String PING_FAILED_ID = "dockerflow.health.E007";

    /** Id reported for any other Redis error. */
    public static final String REDIS_ERROR_ID = "dockerflow.health.E010";

    /** The default longest wait for a connection and for the answer to {@code PING}, in milliseconds. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 2000;

    private static final String PONG = "PONG";

    /** How the check reaches Redis. */
    private sealed interface Target {
        String describe();
    }

    private record Connection(StatefulConnection<?, ?> connection, Pinger pinger) implements Target {
        @Override
        public String describe() {
            return "connection";
        }
    }

    private record Client(RedisClient client, RedisURI uri) implements Target {
        @Override
        public String describe() {
            return "client";
        }
    }

    @FunctionalInterface
    private interface Pinger {
        RedisFuture<String> ping();
    }

    private final Target target;
    private final String name;
    private final Duration timeout;

    private LettuceRedisCheck(Target target, String name, Duration timeout) {
        this.target = target;
        this.name = name;
        this.timeout = timeout;
    }

    /**
     * A check that sends {@code PING} over the service's own connection, named {@value #NAME}.
     * The connection is used, never closed.
     *
     * @param connection the connection the service uses
     * @return the check
     */
    public static LettuceRedisCheck of(StatefulRedisConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new LettuceRedisCheck(new Connection(connection, () -> connection.async().ping()), NAME,
                Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS));
    }

    /**
     * A check that sends {@code PING} over the service's own Redis Cluster connection, named
     * {@value #NAME}. The cluster connection sends it to its default node; the connection is
     * used, never closed.
     *
     * @param connection the cluster connection the service uses
     * @return the check
     */
    public static LettuceRedisCheck of(StatefulRedisClusterConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new LettuceRedisCheck(new Connection(connection, () -> connection.async().ping()), NAME,
                Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS));
    }

    /**
     * A check that opens a new connection to {@code uri} with the service's client on every
     * run, sends {@code PING} and closes it, named {@value #NAME}. It sees what a new connection
     * sees (credentials included), at the cost of one connection per run; prefer
     * {@link #of(StatefulRedisConnection)} when the service keeps a connection.
     *
     * @param client the client the service uses (its resources and options apply)
     * @param uri where to connect, with credentials if Redis needs them
     * @return the check
     */
    public static LettuceRedisCheck of(RedisClient client, RedisURI uri) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(uri, "uri");
        return new LettuceRedisCheck(new Client(client, uri), NAME, Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS));
    }

    /**
     * A copy of this check registered under another name, for a service with several Redis.
     *
     * @param name the name to register the check under
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public LettuceRedisCheck withName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name, got '" + name + "'");
        }
        return new LettuceRedisCheck(target, name, timeout);
    }

    /**
     * A copy of this check that waits at most {@code timeout} for a connection and for the
     * answer. Keep it below the check's heartbeat timeout, so that the check reports what it
     * waited for instead of being cut off.
     *
     * @param timeout the longest wait, positive
     * @return a new check
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public LettuceRedisCheck withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Redis check timeout must be positive, got " + timeout);
        }
        return new LettuceRedisCheck(target, name, timeout);
    }

    /**
     * The name this check is meant to be registered under.
     *
     * @return {@value #NAME} unless another name was given
     */
    public String name() {
        return name;
    }

    /**
     * The longest the check waits for a connection and for the answer to {@code PING}.
     *
     * @return the wait
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Sends {@code PING}.
     *
     * @return empty when Redis answers {@code PONG}, else what went wrong
     * @throws InterruptedException if the heartbeat interrupts the check at its timeout
     */
    @Override
    public List<CheckMessage> run() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return switch (target) {
            case Connection c -> pingOver(c, deadline);
            case Client c -> connectAndPing(c, deadline);
        };
    }

    private List<CheckMessage> pingOver(Connection target, long deadline) throws InterruptedException {
        if (!target.connection().isOpen()) {
            return List.of(LettuceFailures.cannotConnect("the connection is closed or reconnecting"));
        }
        return ping(target.pinger(), deadline);
    }

    private List<CheckMessage> connectAndPing(Client target, long deadline) throws InterruptedException {
        ConnectionFuture<StatefulRedisConnection<String, String>> connecting =
                target.client().connectAsync(StringCodec.UTF8, target.uri());
        StatefulRedisConnection<String, String> connection;
        try {
            connection = await(connecting, deadline);
        } catch (TimeoutException e) {
            closeWhenDone(connecting);
            return List.of(LettuceFailures.cannotConnect("no connection within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            closeWhenDone(connecting);
            throw e;
        } catch (ExecutionException e) {
            return List.of(LettuceFailures.classify(e.getCause()));
        }
        try {
            return ping(() -> connection.async().ping(), deadline);
        } finally {
            connection.closeAsync();
        }
    }

    private List<CheckMessage> ping(Pinger pinger, long deadline) throws InterruptedException {
        RedisFuture<String> reply = pinger.ping();
        String answer;
        try {
            answer = await(reply, deadline);
        } catch (TimeoutException e) {
            reply.cancel(true);
            return List.of(LettuceFailures.cannotConnect("no answer to PING within " + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            reply.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return List.of(LettuceFailures.classify(e.getCause()));
        }
        if (!PONG.equalsIgnoreCase(answer)) {
            return List.of(CheckMessage.error(PING_FAILED_ID, "Redis ping failed: expected PONG, got "
                    + (answer == null ? "nothing" : "'" + LettuceFailures.shorten(answer) + "'")));
        }
        return List.of();
    }

    private static <T> T await(Future<T> future, long deadline) throws InterruptedException, ExecutionException, TimeoutException {
        long remaining = deadline - System.nanoTime();
        // Even past the deadline, look once: an answer that is already there counts.
        return future.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
    }

    /** A connection that arrives after the check gave up on it is closed, never left open. */
    private static void closeWhenDone(CompletionStage<? extends StatefulConnection<?, ?>> connecting) {
        connecting.whenComplete((connection, failure) -> {
            if (connection != null) {
                connection.closeAsync();
            }
        });
    }

    @Override
    public String toString() {
        return "LettuceRedisCheck[" + name + ", " + target.describe() + ", timeout " + timeout.toMillis() + " ms]";
    }
}
