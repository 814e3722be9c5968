package dev.dockerflow.checks.lettuce;

import dev.dockerflow.CheckMessage;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a Lettuce failure into python-dockerflow's Redis messages: anything that means Redis
 * could not be reached or would not let the client in (refused, reset, timed out, {@code NOAUTH},
 * {@code WRONGPASS}) is {@code E004}; any other error reply is {@code E010}.
 */
final class LettuceFailures {

    // Error replies that mean "not authenticated", which python-dockerflow reports as a
    // connection failure (redis-py's AuthenticationError is a ConnectionError).
    private static final String[] AUTHENTICATION_REPLIES = {
        "NOAUTH", "WRONGPASS", "ERR INVALID PASSWORD", "ERR AUTH", "ERR CLIENT SENT AUTH",
        "ERR INVALID USERNAME-PASSWORD PAIR",
    };

    private LettuceFailures() {
    }

    static CheckMessage cannotConnect(String reason) {
        return CheckMessage.error(LettuceRedisCheck.CANNOT_CONNECT_ID, "Could not connect to redis: " + reason);
    }

    static CheckMessage classify(Throwable top) {
        if (top == null) {
            return CheckMessage.error(LettuceRedisCheck.REDIS_ERROR_ID, "Redis error: \"unknown failure\"");
        }
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandExecutionException && isAuthentication(t.getMessage())) {
                return cannotConnect(describe(top));
            }
        }
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException
                    || t instanceof IOException) {
                return cannotConnect(describe(top));
            }
            if (t instanceof RedisCommandExecutionException) {
                return CheckMessage.error(LettuceRedisCheck.REDIS_ERROR_ID, "Redis error: \"" + oneLine(t) + "\"");
            }
        }
        return CheckMessage.error(LettuceRedisCheck.REDIS_ERROR_ID, "Redis error: \"" + describe(top) + "\"");
    }

    private static boolean isAuthentication(String reply) {
        if (reply == null) {
            return false;
        }
        String upper = reply.strip().toUpperCase(Locale.ROOT);
        for (String prefix : AUTHENTICATION_REPLIES) {
            if (upper.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The messages of an exception and its causes, each once, on one line. */
    static String describe(Throwable top) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = top; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String part = oneLine(t);
            // Lettuce often repeats the cause's message in its own: keep the longer one only.
            if (parts.stream().noneMatch(p -> p.contains(part))) {
                parts.add(part);
            }
        }
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

    private static String oneLine(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : shorten(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
