package dev.dockerflow.checks.redis;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Checks that Redis answers {@code PING} with {@code PONG}, through the service's own Jedis
 * client. The counterpart of python-dockerflow's {@code check_redis_connected}, registered by
 * default under the same name.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th><th>text begins with</th></tr>
 *   <tr><td>{@value #CANNOT_CONNECT_ID}</td><td>error</td><td>no answer: the connection was
 *       refused or reset, or the client's socket timeout passed; or Redis refused the
 *       client's authentication ({@code NOAUTH}, {@code WRONGPASS}, {@code -ERR invalid password}),
 *       is still loading its data, or has no room for another client, as python-dockerflow's
 *       client classifies them</td><td>{@code Could not connect to redis: }</td></tr>
 *   <tr><td>{@value #PING_FAILED_ID}</td><td>error</td><td>Redis answered something other than
 *       {@code PONG}</td><td>{@code Redis ping failed}</td></tr>
 *   <tr><td>{@value #REDIS_ERROR_ID}</td><td>error</td><td>Redis answered with any other error,
 *       such as {@code -ERR unknown command} or {@code NOPERM}, or the client failed otherwise;
 *       the error is quoted</td><td>{@code Redis error: "}</td></tr>
 * </table>
 *
 * <p>Texts begin with python-dockerflow's words and carry the client's message after them;
 * {@link CheckMessage} removes passwords from it.
 *
 * <p>Timeouts: the client's own connection and socket timeouts (Jedis defaults to two
 * seconds each) bound every wait; the heartbeat also interrupts the check when its
 * timeout passes. Borrowing from an exhausted {@link JedisPool} waits as long as the pool's
 * {@code maxWait} allows.
 *
 * <p>Immutable and thread-safe, as Jedis' pooled clients are.
 */
public final class RedisCheck implements Check {

    /** The default registration name, python-dockerflow's: {@value}. */
    public static final String NAME = "check_redis_connected";

    /** Id reported when Redis cannot be reached. */
    public static final String CANNOT_CONNECT_ID = "dockerflow.health.E004";

    /** Id reported when {@code PING} is not answered with {@code PONG}. */
    public static final String PING_FAILED_ID = "dockerflow.health.E007";

    /** Id reported for any other Redis error. */
    public static final String REDIS_ERROR_ID = "dockerflow.health.E010";

    private static final String PONG = "PONG";

    // Error replies that python-dockerflow's client reports as connection errors (its
    // AuthenticationError, BusyLoadingError and "max number of clients reached").
    private static final List<String> CONNECTION_REPLIES = List.of("NOAUTH", "WRONGPASS", "LOADING",
            "ERR invalid password", "ERR invalid username-password pair", "ERR Client sent AUTH, but no password is set",
            "ERR AUTH", "ERR max number of clients reached");

    /** Sends one PING through whichever client was given. */
    @FunctionalInterface
    private interface Pinger {
        String ping();
    }

    private final Pinger pinger;
    private final String name;

    private RedisCheck(Pinger pinger, String name) {
        this.pinger = pinger;
        this.name = name;
    }

    /**
     * A check through a client such as {@code RedisClient} (Jedis 7.2 and later) or
     * {@code JedisPooled} (Jedis 7 only; Jedis 8 removed it), named {@value #NAME}.
     *
     * @param client the client the service uses
     * @return the check
     */
    public static RedisCheck of(UnifiedJedis client) {
        return of(client, NAME);
    }

    /**
     * A check through a pooled client, with its own name.
     *
     * @param client the client the service uses
     * @param name the name to register the check under
     * @return the check
     * @throws IllegalArgumentException if the name is blank
     */
    public static RedisCheck of(UnifiedJedis client, String name) {
        Objects.requireNonNull(client, "client");
        return new RedisCheck(client::ping, validName(name));
    }

    /**
     * A check that borrows a connection from {@code pool}, named {@value #NAME}.
     *
     * @param pool the pool the service uses
     * @return the check
     */
    @SuppressWarnings("deprecation") // Jedis 8 deprecates JedisPool, yet services still run on it
    public static RedisCheck of(JedisPool pool) {
        return of(pool, NAME);
    }

    /**
     * A check that borrows a connection from {@code pool}, with its own name.
     *
     * @param pool the pool the service uses
     * @param name the name to register the check under
     * @return the check
     * @throws IllegalArgumentException if the name is blank
     */
    @SuppressWarnings("deprecation") // Jedis 8 deprecates JedisPool, yet services still run on it
    public static RedisCheck of(JedisPool pool, String name) {
        Objects.requireNonNull(pool, "pool");
        return new RedisCheck(() -> {
            try (Jedis jedis = pool.getResource()) {
                return jedis.ping();
            }
        }, validName(name));
    }

    private static String validName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name");
        }
        return name;
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
     * Sends {@code PING}.
     *
     * @return empty when Redis answers {@code PONG}, else what went wrong
     */
    @Override
    public List<CheckMessage> run() {
        String reply;
        try {
            reply = pinger.ping();
        } catch (JedisException e) {
            return List.of(classify(e));
        }
        if (!PONG.equalsIgnoreCase(reply)) {
            return List.of(CheckMessage.error(PING_FAILED_ID,
                    "Redis ping failed: expected PONG, got " + (reply == null ? "nothing" : "'" + shorten(reply) + "'")));
        }
        return List.of();
    }

    private static CheckMessage classify(JedisException top) {
        // The outermost Jedis exception that says which side failed decides: an error reply
        // from the server, or a connection that could not be made or used.
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisAccessControlException
                    || t instanceof JedisDataException && isConnectionReply(t.getMessage())) {
                return cannotConnect(top);
            }
            if (t instanceof JedisDataException) {
                return CheckMessage.error(REDIS_ERROR_ID, "Redis error: \"" + describe(top) + "\"");
            }
            if (t instanceof JedisConnectionException) {
                return cannotConnect(top);
            }
        }
        return CheckMessage.error(REDIS_ERROR_ID, "Redis error: \"" + describe(top) + "\"");
    }

    private static CheckMessage cannotConnect(JedisException top) {
        return CheckMessage.error(CANNOT_CONNECT_ID, "Could not connect to redis: " + describe(top));
    }

    private static boolean isConnectionReply(String message) {
        if (message == null) {
            return false;
        }
        String reply = message.strip();
        for (String prefix : CONNECTION_REPLIES) {
            if (reply.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable top) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = top; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            parts.add(message == null || message.isBlank()
                    ? t.getClass().getSimpleName()
                    : shorten(message.strip().replaceAll("\\s*\\R\\s*", " ")));
        }
        return joinSentences(parts);
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return "RedisCheck[" + name + "]";
    }

    /** Joins messages with ": ", dropping the full stop a message ends with when another follows. */
    private static String joinSentences(Iterable<String> parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            if (!text.isEmpty()) {
                if (text.charAt(text.length() - 1) == '.') {
                    text.setLength(text.length() - 1);
                }
                text.append(": ");
            }
            text.append(part);
        }
        return text.toString();
    }
}
