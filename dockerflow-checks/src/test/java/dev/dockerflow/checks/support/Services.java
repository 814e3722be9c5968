package dev.dockerflow.checks.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The backend services these tests run against, and what happens when one is missing:
 * on a developer machine the test is skipped with the reason printed; on CI
 * ({@code CI=true}) it fails, because a green build there must mean the checks ran.
 */
public final class Services {

    /** Loopback, where every test service listens. */
    public static final String HOST = "127.0.0.1";
    /** PostgreSQL, trust authentication, database {@code test}. */
    public static final int POSTGRESQL_PORT = 5432;
    /** MariaDB, user root with an empty password, database {@code test}. */
    public static final int MARIADB_PORT = 3306;
    /** Redis, no password. */
    public static final int REDIS_PORT = 6379;

    /** JDBC URL of the PostgreSQL test database. */
    public static final String POSTGRESQL_URL = "jdbc:postgresql://" + HOST + ":" + POSTGRESQL_PORT + "/test";
    /** JDBC URL of the MariaDB test database. */
    public static final String MARIADB_URL = "jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/test";

    private Services() {
    }

    /** Skips (or on CI fails) the calling test unless PostgreSQL is reachable. */
    public static void assumePostgresql() {
        assumeReachable("PostgreSQL", HOST, POSTGRESQL_PORT);
    }

    /** Skips (or on CI fails) the calling test unless MariaDB is reachable. */
    public static void assumeMariadb() {
        assumeReachable("MariaDB", HOST, MARIADB_PORT);
    }

    /** Skips (or on CI fails) the calling test unless Redis is reachable. */
    public static void assumeRedis() {
        assumeReachable("Redis", HOST, REDIS_PORT);
    }

    /**
     * Skips the calling test, or fails it when {@code CI=true}, unless something accepts
     * TCP connections at {@code host:port}.
     *
     * @param service what should be listening, for the message
     * @param host host
     * @param port port
     */
    public static void assumeReachable(String service, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            unavailable(service + " is not reachable at " + host + ":" + port + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Skips the calling test, or fails it when {@code CI=true}, because something it needs is missing.
     *
     * @param reason what is missing
     */
    public static void unavailable(String reason) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI=true, so a missing service fails the build");
        }
        System.out.println("SKIPPED: " + reason + "; set CI=true to make this a failure");
        Assumptions.abort(reason);
    }
}
