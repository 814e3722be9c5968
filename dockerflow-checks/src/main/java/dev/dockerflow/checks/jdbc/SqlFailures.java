package dev.dockerflow.checks.jdbc;

import dev.dockerflow.CheckMessage;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a failure to get a connection into a check message, by SQLState first (it is
 * standard across drivers), then by vendor code for the few errors drivers file under a
 * generic state.
 */
final class SqlFailures {

    // MariaDB/MySQL: access denied to database, access denied for user, unknown database.
    private static final Set<Integer> MYSQL_MISCONFIGURED = Set.of(1044, 1045, 1049);
    // H2: database not found, URL format error, unsupported connection setting.
    private static final Set<String> H2_MISCONFIGURED = Set.of("90146", "90046", "90113");

    private SqlFailures() {
    }

    static CheckMessage classify(SQLException e, String poolDescription) {
        if (isMisconfiguration(e)) {
            return CheckMessage.error(DatabaseCheck.MISCONFIGURED_ID,
                    "Database misconfigured" + where(poolDescription) + ": " + describe(e));
        }
        return CheckMessage.error(DatabaseCheck.CANNOT_CONNECT_ID,
                "Could not connect to database" + where(poolDescription) + ": " + describe(e));
    }

    private static boolean isMisconfiguration(SQLException top) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof SQLException e)) {
                continue;
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            // DriverManager's answer when no driver accepts the URL; it carries the connection class 08001.
            if (message.startsWith("No suitable driver")) {
                return true;
            }
            if (e instanceof SQLInvalidAuthorizationSpecException) {
                return true;
            }
            String state = e.getSQLState();
            if (state != null) {
                if (state.startsWith("28") || state.startsWith("3D") || H2_MISCONFIGURED.contains(state)) {
                    return true;
                }
                if (MYSQL_MISCONFIGURED.contains(e.getErrorCode()) && (state.startsWith("42") || state.startsWith("28"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Optional<SQLException> sqlCause(Throwable top) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static String where(String poolDescription) {
        return poolDescription.isEmpty() ? "" : " " + poolDescription;
    }

    /**
     * The messages of an exception and its causes, once each, on one line, with the first
     * SQLState found.
     */
    static String describe(Throwable top) {
        Set<String> parts = new LinkedHashSet<>();
        String state = null;
        for (Throwable t = top; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                parts.add(message.strip().replaceAll("\\s*\\R\\s*", " "));
            } else if (t == top) {
                parts.add(t.getClass().getSimpleName());
            }
            if (state == null && t instanceof SQLException e && e.getSQLState() != null) {
                state = e.getSQLState();
            }
        }
        String text = joinSentences(parts);
        return state == null ? text : text + " (SQLState " + state + ")";
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
