package dev.dockerflow.checks.jdbc;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Checks that a database answers: borrows a connection from a {@link DataSource},
 * validates it with the driver's own {@link Connection#isValid(int)}, and gives it back.
 * The counterpart of python-dockerflow's {@code check_database_connected}, registered by
 * default under the same name.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #CANNOT_CONNECT_ID}</td><td>error</td><td>no connection could be made: refused,
 *       unreachable, timed out, the server is starting or full (SQLState classes 08, 53, 57, HY),
 *       or the pool could not hand one out; or the database did not answer within the
 *       {@linkplain #validationTimeout() timeout}</td></tr>
 *   <tr><td>{@value #UNUSABLE_ID}</td><td>error</td><td>a connection was made but failed
 *       validation</td></tr>
 *   <tr><td>{@value #MISCONFIGURED_ID}</td><td>error</td><td>the configuration is wrong: no driver
 *       accepts the URL, authentication was refused (class 28), the database does not exist
 *       (class 3D, MariaDB/MySQL errors 1044, 1045, 1049, H2 90146), or the pool could not be set up</td></tr>
 *   <tr><td>{@value #POOL_CLOSED_ID}</td><td>error</td><td>a HikariCP pool has been closed</td></tr>
 *   <tr><td>{@value #POOL_WAITING_ID}</td><td>warning</td><td>threads are waiting for a connection
 *       from a HikariCP pool while the database answers (busy, not down); the text gives the
 *       active, idle, total and waiting counts</td></tr>
 * </table>
 *
 * <p>Texts begin with python-dockerflow's words ({@code Could not connect to database: } for
 * {@value #CANNOT_CONNECT_ID}), then name the pool, the driver's message and SQLState;
 * {@link CheckMessage} removes passwords from them. HikariCP is optional: without it on the
 * classpath the pool messages are simply never reported.
 *
 * <p>Busy or down: while threads wait for a pooled connection, borrowing one would only join
 * the queue being reported on. The check then opens a short-lived connection of its own
 * past the pool, with the pool's own data source, driver settings and credentials, and
 * validates it: a database that answers makes the warning {@value #POOL_WAITING_ID}, one that
 * refuses or does not answer within the timeout is {@value #CANNOT_CONNECT_ID}.
 *
 * <p>Timeouts: the whole run (getting a connection and validating it) is bounded by
 * {@link #validationTimeout()} (default {@value #DEFAULT_VALIDATION_TIMEOUT_SECONDS} s, below the
 * heartbeat's default 3 s check timeout), measured by the clock, so that a database that answers
 * one byte at a time is reported as not answering rather than as a check timeout. The work runs
 * on a virtual thread of its own, which is interrupted when the timeout passes (the
 * interrupt closes a socket it is blocked on); while an earlier run's work has still not
 * ended, a new run reports {@value #CANNOT_CONNECT_ID} at once instead of starting more.
 * Set the pool's and driver's own connect and socket timeouts too.
 *
 * <p>Thread-safe. Each run gets its own connection; the only state is the work still
 * running, if any.
 */
public final class DatabaseCheck implements Check {

    /** The default registration name, python-dockerflow's: {@value}. */
    public static final String NAME = "check_database_connected";

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
    private final Object lock = new Object();
    private Work running; // guarded by lock

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
     * A copy of this check that waits at most {@code timeout} for the database: to get a
     * connection and for it to answer validation. JDBC counts this timeout in whole seconds,
     * so it is rounded up to at least one second; keep it below the check's heartbeat
     * timeout so that a database that does not answer reports {@value #CANNOT_CONNECT_ID}
     * rather than a timeout.
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
        return new DatabaseCheck(dataSource, name, (int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, seconds)));
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
     * How long a run waits for the database.
     *
     * @return the validation timeout, whole seconds
     */
    public Duration validationTimeout() {
        return Duration.ofSeconds(validationSeconds);
    }

    /**
     * Borrows, validates and returns one connection; while threads wait for the pool, opens
     * one of its own past the pool instead.
     *
     * @return empty when the database answers, else what went wrong
     * @throws CancellationException if the calling thread is interrupted while waiting for the
     *         database (the heartbeat does this when the check's timeout passes); the
     *         interrupt status is kept
     */
    @Override
    public List<CheckMessage> run() {
        PoolState state = pool.state();
        String where = state.description();
        if (state.closed()) {
            return List.of(CheckMessage.error(POOL_CLOSED_ID, "Connection pool " + where + " is closed"));
        }
        if (state.waiting() > 0 && state.total() == 0) {
            // Threads wait and the pool holds no connection at all: it cannot make one. That is
            // the database being down, not merely busy, and must fail the heartbeat.
            return List.of(CheckMessage.error(CANNOT_CONNECT_ID, SqlFailures.text(SqlFailures.CANNOT_CONNECT, where,
                    "the pool holds no connection and " + threads(state.waiting()) + (state.waiting() == 1 ? " is" : " are")
                    + " waiting for one")));
        }
        if (state.waiting() > 0) {
            return busyOrDown(state);
        }
        return withinTimeout(where, "the database did not answer", () -> borrowAndValidate(where));
    }

    private List<CheckMessage> borrowAndValidate(String where) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            return List.of(SqlFailures.classify(e, where));
        } catch (RuntimeException e) {
            // Pools report set-up failures (bad URL, unknown driver class, an initial
            // connection that failed) as unchecked exceptions.
            Optional<SQLException> sql = SqlFailures.sqlCause(e);
            return List.of(sql.isPresent()
                    ? SqlFailures.classify(sql.get(), where)
                    : CheckMessage.error(MISCONFIGURED_ID, SqlFailures.text(SqlFailures.MISCONFIGURED, where, SqlFailures.describe(e))));
        }
        try (connection) {
            // One second more than the run may take: a validation still waiting when the run's
            // time is up is a database that does not answer, reported as such by the caller.
            if (!connection.isValid(validationSeconds + 1)) {
                return List.of(CheckMessage.error(UNUSABLE_ID, SqlFailures.text(SqlFailures.UNUSABLE, where, "validation failed")));
            }
        } catch (SQLException e) {
            return List.of(CheckMessage.error(UNUSABLE_ID, SqlFailures.text(SqlFailures.UNUSABLE, where, SqlFailures.describe(e))));
        }
        return List.of();
    }

    /**
     * Threads wait for a pooled connection: borrowing would join the queue being reported
     * on, so a connection of the check's own, past the pool, says whether the database answers.
     */
    private List<CheckMessage> busyOrDown(PoolState state) {
        String where = state.description();
        String waiting = threads(state.waiting()) + (state.waiting() == 1 ? " is" : " are") + " waiting for a pooled connection";
        String counts = threads(state.waiting()) + " waiting for a connection from pool " + where
                + " (active " + state.active() + ", idle " + state.idle() + ", total " + state.total()
                + ", waiting " + state.waiting() + ")";
        Optional<PoolInspector.DirectConnector> direct = pool.direct();
        if (direct.isEmpty()) {
            return List.of(CheckMessage.warning(POOL_WAITING_ID, counts));
        }
        return withinTimeout(where, waiting + " and a new connection got no answer", () -> {
            try (Connection own = direct.get().open()) {
                if (!own.isValid(validationSeconds + 1)) {
                    return List.of(CheckMessage.error(CANNOT_CONNECT_ID, SqlFailures.text(SqlFailures.CANNOT_CONNECT, where,
                            waiting + " and a new connection failed validation")));
                }
            } catch (SQLException e) {
                if (SqlFailures.isServerFull(e)) {
                    // It answered: it has no room for another connection, which is busy, not down.
                    return List.of(CheckMessage.warning(POOL_WAITING_ID, counts
                            + "; the database answers but refused a new connection: " + SqlFailures.describe(e)));
                }
                return List.of(SqlFailures.classify(e, where, waiting + " and a new connection failed: "));
            }
            return List.of(CheckMessage.warning(POOL_WAITING_ID, counts + "; the database answers"));
        });
    }

    private static String threads(int n) {
        return n == 1 ? "1 thread" : n + " threads";
    }

    /**
     * Runs {@code work} on a virtual thread of its own and waits for it at most the
     * validation timeout, by the clock; the thread is interrupted when the time is up.
     */
    private List<CheckMessage> withinTimeout(String where, String noAnswer, Supplier<List<CheckMessage>> work) {
        Work attempt;
        synchronized (lock) {
            if (running != null && !running.result().isDone()) {
                // An earlier run's work outlived its time and did not end when interrupted: more
                // threads would only pile up behind it.
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - running.startedNanos());
                return List.of(CheckMessage.error(CANNOT_CONNECT_ID, SqlFailures.text(SqlFailures.CANNOT_CONNECT, where,
                        "an earlier attempt has had no answer for " + seconds + " s")));
            }
            attempt = Work.start(name, work);
            running = attempt;
        }
        try {
            return attempt.result().get(validationSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            attempt.thread().interrupt();
            return List.of(CheckMessage.error(CANNOT_CONNECT_ID, SqlFailures.text(SqlFailures.CANNOT_CONNECT, where,
                    noAnswer + " within " + validationSeconds + " s")));
        } catch (InterruptedException e) {
            // The heartbeat gave up on this run (its own timeout, already reported): so does the
            // work, and the run ends without a result of its own.
            attempt.thread().interrupt();
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting for the database");
            cancelled.initCause(e);
            throw cancelled;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Work of one run on its own thread. */
    private record Work(Thread thread, long startedNanos, CompletableFuture<List<CheckMessage>> result) {

        static Work start(String checkName, Supplier<List<CheckMessage>> work) {
            CompletableFuture<List<CheckMessage>> result = new CompletableFuture<>();
            Thread thread = Thread.ofVirtual().name("dockerflow-check-" + checkName).unstarted(() -> {
                try {
                    result.complete(work.get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            Work started = new Work(thread, System.nanoTime(), result);
            thread.start();
            return started;
        }
    }

    @Override
    public String toString() {
        return "DatabaseCheck[" + name + "]";
    }
}
