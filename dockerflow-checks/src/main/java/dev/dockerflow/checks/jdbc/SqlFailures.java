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

    /** How an E001 text begins: python-dockerflow's words, then ours. */
    static final String CANNOT_CONNECT = "Could not connect to database: ";
    /** How an E002 text begins. */
    static final String UNUSABLE = "Database connection is not usable: ";
    /** How an E003 text begins. */
    static final String MISCONFIGURED = "Database misconfigured: ";

    static CheckMessage classify(SQLException e, String poolDescription) {
        return classify(e, poolDescription, "");
    }

    /** As {@link #classify(SQLException, String)}, with {@code context} before the driver's words. */
    static CheckMessage classify(SQLException e, String poolDescription, String context) {
        if (isMisconfiguration(e)) {
            return CheckMessage.error(DatabaseCheck.MISCONFIGURED_ID, text(MISCONFIGURED, poolDescription, context + describe(e)));
        }
        return CheckMessage.error(DatabaseCheck.CANNOT_CONNECT_ID, text(CANNOT_CONNECT, poolDescription, context + describe(e)));
    }

    /**
     * A message text: the fixed beginning, the pool when known, then the detail, e.g.
     * {@code Could not connect to database: HikariPool-1 (jdbc:postgresql://db/app): Connection refused}.
     */
    static String text(String beginning, String poolDescription, String detail) {
        return poolDescription.isEmpty() ? beginning + detail : beginning + poolDescription + ": " + detail;
    }

    /**
     * Whether the server answered that it has no room for another connection (SQLState class
     * 53, insufficient resources): it is up, but full.
     */
    static boolean isServerFull(SQLException top) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("53")) {
                return true;
            }
        }
        return false;
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
