package dev.dockerflow.checks.jdbc;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checks that a database answers: borrows a connection from a {@link DataSource},
 * validates it with the driver's own {@link Connection#isValid(int)}, and gives it back.
 * The counterpart of python-dockerflow's {@code check_database_connected}.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #CANNOT_CONNECT_ID}</td><td>error</td><td>no connection could be made: refused,
 *       unreachable, timed out, the server is starting or full (SQLState classes 08, 53, 57, HY),
 *       or the pool could not hand one out</td></tr>
 *   <tr><td>{@value #UNUSABLE_ID}</td><td>error</td><td>a connection was made but failed
 *       validation within the validation timeout</td></tr>
 *   <tr><td>{@value #MISCONFIGURED_ID}</td><td>error</td><td>the configuration is wrong: no driver
 *       accepts the URL, authentication was refused (class 28), the database does not exist
 *       (class 3D, MariaDB/MySQL errors 1044, 1045, 1049, H2 90146), or the pool could not be set up</td></tr>
 *   <tr><td>{@value #POOL_CLOSED_ID}</td><td>error</td><td>a HikariCP pool has been closed</td></tr>
 *   <tr><td>{@value #POOL_WAITING_ID}</td><td>warning</td><td>threads are waiting for a connection
 *       from a HikariCP pool; the text gives the active, idle, total and waiting counts</td></tr>
 * </table>
 *
 * <p>Every text names the driver's message and SQLState; {@link CheckMessage} removes
 * passwords from it. HikariCP is optional: without it on the classpath the pool messages are
 * simply never reported.
 *
 * <p>Timeouts: validation waits at most {@link #validationTimeout()} (default
 * {@value #DEFAULT_VALIDATION_TIMEOUT_SECONDS} s, below the heartbeat's default 3 s check timeout).
 * Getting the connection is bounded by the pool's or driver's own connect timeout and by the
 * heartbeat, which interrupts the check when its timeout passes.
 *
 * <p>Immutable and thread-safe; each run borrows its own connection.
 */
public final class DatabaseCheck implements Check {

    /** The conventional registration name, {@value}. */
    public static final String NAME = "database";

    /** Id reported when no connection could be made. */
    public static final String CANNOT_CONNECT_ID = "dockerflow.health.E001";

    /** Id reported when a connection fails validation. */
    public static final String UNUSABLE_ID = "dockerflow.health.E002";

    /** Id reported when the database configuration is wrong. */
    public static final String MISCONFIGURED_ID = "dockerflow.health.E003";

    /** Id reported when a HikariCP pool is closed. */
    public static final String POOL_CLOSED_ID = "dockerflow.health.E013";

    /** Id reported when threads wait for a connection from a HikariCP pool. */
    public static final String POOL_WAITING_ID = "dockerflow.health.W002";

    /** The default validation timeout in seconds, {@value}. */
    public static final int DEFAULT_VALIDATION_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final String name;
    private final int validationSeconds;
    private final PoolInspector pool;

    private DatabaseCheck(DataSource dataSource, String name, int validationSeconds) {
        this.dataSource = dataSource;
        this.name = name;
        this.validationSeconds = validationSeconds;
        this.pool = PoolInspector.of(dataSource);
    }

    /**
     * A check of {@code dataSource} named {@value #NAME}.
     *
     * @param dataSource any data source: a HikariCP pool, another pool, or a driver's own
     * @return the check
     */
    public static DatabaseCheck of(DataSource dataSource) {
        return of(dataSource, NAME);
    }

    /**
     * A check of {@code dataSource} with its own name, for a service with several databases.
     *
     * @param dataSource any data source
     * @param name the name to register the check under, e.g. {@code orders-db}
     * @return the check
     * @throws IllegalArgumentException if the name is blank
     */
    public static DatabaseCheck of(DataSource dataSource, String name) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name");
        }
        return new DatabaseCheck(dataSource, name, DEFAULT_VALIDATION_TIMEOUT_SECONDS);
    }

    /**
     * A copy of this check that waits at most {@code timeout} for validation. JDBC counts
     * this timeout in whole seconds, so it is rounded up to at least one second; keep it
     * below the check's heartbeat timeout so that a slow database reports
     * {@value #UNUSABLE_ID} rather than a timeout.
     *
     * @param timeout positive
     * @return a new check
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public DatabaseCheck withValidationTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("validation timeout must be positive, got " + timeout);
        }
        long seconds = timeout.plusNanos(999_999_999L).getSeconds();
        return new DatabaseCheck(dataSource, name, (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds)));
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
     * How long validation may take.
     *
     * @return the validation timeout, whole seconds
     */
    public Duration validationTimeout() {
        return Duration.ofSeconds(validationSeconds);
    }

    /**
     * Borrows, validates and returns one connection.
     *
     * @return empty when the database answers, else what went wrong
     */
    @Override
    public List<CheckMessage> run() {
        List<CheckMessage> messages = new ArrayList<>();
        PoolState state = pool.state();
        if (state.closed()) {
            messages.add(CheckMessage.error(POOL_CLOSED_ID,
                    "Connection pool " + state.description() + " is closed"));
            return messages;
        }
        if (state.waiting() > 0 && state.total() == 0) {
            // Threads wait and the pool holds no connection at all: it cannot make one. That is
            // the database being down, not merely busy, and must fail the heartbeat.
            messages.add(CheckMessage.error(CANNOT_CONNECT_ID, "Could not connect to database "
                    + state.description() + ": the pool holds no connection and " + state.waiting()
                    + (state.waiting() == 1 ? " thread is" : " threads are") + " waiting for one"));
            return messages;
        }
        if (state.waiting() > 0) {
            messages.add(CheckMessage.warning(POOL_WAITING_ID, state.waiting()
                    + (state.waiting() == 1 ? " thread" : " threads") + " waiting for a connection from pool "
                    + state.description()
                    + " (active " + state.active() + ", idle " + state.idle() + ", total " + state.total()
                    + ", waiting " + state.waiting() + ")"));
            // The pool is saturated: borrowing would join the queue this warning reports, and
            // a heartbeat must not add load to a backend that is already short of connections.
            return messages;
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            messages.add(SqlFailures.classify(e, state.description()));
            return messages;
        } catch (RuntimeException e) {
            // Pools report set-up failures (bad URL, unknown driver class, an initial
            // connection that failed) as unchecked exceptions.
            Optional<SQLException> sql = SqlFailures.sqlCause(e);
            messages.add(sql.isPresent()
                    ? SqlFailures.classify(sql.get(), state.description())
                    : CheckMessage.error(MISCONFIGURED_ID, "Database misconfigured" + SqlFailures.where(state.description())
                            + ": " + SqlFailures.describe(e)));
            return messages;
        }
        try (connection) {
            if (!connection.isValid(validationSeconds)) {
                messages.add(CheckMessage.error(UNUSABLE_ID, "Database connection is not usable"
                        + SqlFailures.where(state.description())
                        + ": validation did not succeed within " + validationSeconds + " s"));
            }
        } catch (SQLException e) {
            messages.add(CheckMessage.error(UNUSABLE_ID, "Database connection is not usable"
                    + SqlFailures.where(state.description()) + ": " + SqlFailures.describe(e)));
        }
        return messages;
    }

    @Override
    public String toString() {
        return "DatabaseCheck[" + name + "]";
    }
}
