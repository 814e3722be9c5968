package dev.dockerflow.spring.boot;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.checks.redis.RedisCheck;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@value RedisCheck#NAME} over Spring Data Redis: takes a connection from the application's
 * {@link RedisConnectionFactory} (Lettuce or Jedis), sends {@code PING} and gives the
 * connection back. Messages as the built-in Redis checks: {@code dockerflow.health.E004}
 * ({@code Could not connect to redis: }) when no connection can be made, an authentication
 * failure included; {@code E007} ({@code Redis ping failed}) when the answer is not
 * {@code PONG}; {@code E010} ({@code Redis error: }) for any other Redis error. How long it
 * waits is the connection factory's own timeouts, and the heartbeat's. Thread-safe.
 */
final class RedisConnectionFactoryCheck implements Check {

    private final RedisConnectionFactory connectionFactory;

    RedisConnectionFactoryCheck(RedisConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    public List<CheckMessage> run() {
        RedisConnection connection;
        try {
            connection = connectionFactory.getConnection();
        } catch (RedisConnectionFailureException e) {
            return List.of(CheckMessage.error(RedisCheck.CANNOT_CONNECT_ID, "Could not connect to redis: " + describe(e)));
        } catch (DataAccessException e) {
            return List.of(CheckMessage.error(RedisCheck.REDIS_ERROR_ID, "Redis error: " + describe(e)));
        }
        try (connection) {
            String pong = connection.ping();
            if (!"PONG".equals(pong)) {
                return List.of(CheckMessage.error(RedisCheck.PING_FAILED_ID, "Redis ping failed: expected PONG, got " + pong));
            }
            return List.of();
        } catch (RedisConnectionFailureException e) {
            return List.of(CheckMessage.error(RedisCheck.CANNOT_CONNECT_ID, "Could not connect to redis: " + describe(e)));
        } catch (DataAccessException e) {
            return List.of(CheckMessage.error(RedisCheck.REDIS_ERROR_ID, "Redis error: " + describe(e)));
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root == error || message == null ? String.valueOf(error.getMessage()) : error.getMessage() + ": " + message;
    }
}
