package dev.dockerflow.checks.liquibase;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Checks that every changeset of a Liquibase changelog has been applied, and that none failed.
 * The counterpart of python-dockerflow's {@code check_migrations_applied}, with its ids and
 * texts.
 *
 * <p>It never writes. Liquibase's own status commands create the lock and history tables
 * and update stored checksums before they answer, so this check does not call them: it parses
 * the changelog with Liquibase's parser, and reads the history table ({@code DATABASECHANGELOG})
 * itself with one {@code SELECT}, when the table exists. It creates no table, takes no lock,
 * and leaves the connection's settings as they were.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #PENDING_ID}</td><td>warning</td><td>{@code Unapplied migrations found: ...}:
 *       changesets of the changelog that the history does not record as run, named
 *       {@code path::id::author} in changelog order</td></tr>
 *   <tr><td>{@value #FAILED_ID}</td><td>error</td><td>{@code Failed migration: ...}: a changeset
 *       that ran has changed since (its checksum differs, and it is neither {@code runOnChange} nor
 *       {@code runAlways} nor allowed by a {@code validCheckSum}), so {@code update} stops with a
 *       validation error; the id the Flyway check uses for a failed migration. Liquibase records
 *       no row for a changeset that failed while running: that one stays pending, and the next
 *       {@code update} tries it again</td></tr>
 *   <tr><td>{@value #NOT_CHECKED_YET_ID}</td><td>info</td><td>{@code Migrations not checked yet: ...}:
 *       the first run is still reading the changelog (see below)</td></tr>
 *   <tr><td>{@value #CANNOT_CHECK_ID}</td><td>info</td><td>{@code Can't connect to database to check
 *       migrations: ...}: no connection, or it broke while reading; the database check reports
 *       the outage itself</td></tr>
 * </table>
 *
 * <p>What counts as applied follows Liquibase: a history row with the changeset's id, author
 * and changelog path (compared as Liquibase compares them) and the exec type {@code EXECUTED},
 * {@code RERAN} or {@code MARK_RAN}. Contexts, labels and {@code dbms} attributes are applied as
 * {@code update} applies them, so a changeset {@code update} would skip is not pending; a
 * {@code runOnChange} changeset whose checksum changed is pending, as {@code update} would run it
 * again. Checksums are compared with Liquibase's own rule and never written back.
 *
 * <p>The changelog is parsed on the first run and kept; a changelog that cannot be parsed is
 * thrown, and the heartbeat reports it as {@code dockerflow.health.E012}. On a JVM where
 * Liquibase has not run yet, starting it and parsing takes seconds: until the first run has
 * read the changelog, it runs on a thread of its own, a run waits for it at most
 * {@value #FIRST_RUN_WAIT_MILLIS} ms and otherwise reports {@value #NOT_CHECKED_YET_ID}
 * ({@code Migrations not checked yet: ...}, info), so a service's first heartbeats do not fail
 * because of it.
 *
 * <p>Timeouts: getting a connection is bounded by the data source's own timeouts, reading the
 * history by a query timeout of {@value #QUERY_TIMEOUT_SECONDS} seconds, and everything by the
 * heartbeat, which interrupts the check when its timeout passes.
 *
 * <p>Immutable and thread-safe.
 */
public final class LiquibaseMigrationsCheck implements Check {

    /** The conventional registration name, {@value}, as in python-dockerflow. */
    public static final String NAME = "check_migrations_applied";

    /** Id reported when changesets are waiting to be applied. */
    public static final String PENDING_ID = "dockerflow.health.W001";

    /** Id reported when a changeset that ran has changed since, so that {@code update} fails. */
    public static final String FAILED_ID = "dockerflow.health.E014";

    /** Id reported when the database cannot be reached to check migrations. */
    public static final String CANNOT_CHECK_ID = "dockerflow.health.I001";

    /** Id reported while the first run is still reading the changelog. */
    public static final String NOT_CHECKED_YET_ID = "dockerflow.health.I002";

    /**
     * How long a run waits for a first run that is still reading the changelog, in milliseconds;
     * below the heartbeat's default check timeout.
     */
    public static final long FIRST_RUN_WAIT_MILLIS = 1500;

    /** The longest the query that reads the history may run, in seconds. */
    public static final int QUERY_TIMEOUT_SECONDS = 2;

    /** At most this many changesets are named in one message; the rest are counted. */
    static final int MAX_NAMED = 10;

    private final DataSource dataSource;
    private final ChangeLogSource changeLog;
    private final HistoryTable history;
    private final String name;
    private final AtomicReference<CompletableFuture<List<CheckMessage>>> firstRun = new AtomicReference<>();

    private LiquibaseMigrationsCheck(DataSource dataSource, ChangeLogSource changeLog, HistoryTable history, String name) {
        this.dataSource = dataSource;
        this.changeLog = changeLog;
        this.history = history;
        this.name = name;
    }

    /**
     * A check of the changelog {@code changeLogFile}, a class path resource such as
     * {@code db/changelog/db.changelog-master.yaml} (a {@code classpath:} prefix is allowed),
     * against the database behind {@code dataSource}, named {@value #NAME}. The resource is found
     * through the calling thread's context class loader.
     *
     * @param dataSource the data source the service migrates
     * @param changeLogFile the changelog the service passes to Liquibase
     * @return the check
     * @throws IllegalArgumentException if {@code changeLogFile} is blank
     */
    public static LiquibaseMigrationsCheck of(DataSource dataSource, String changeLogFile) {
        Objects.requireNonNull(changeLogFile, "changeLogFile");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return of(dataSource, withoutClasspathPrefix(changeLogFile),
                new ClassLoaderResourceAccessor(loader == null ? LiquibaseMigrationsCheck.class.getClassLoader() : loader));
    }

    /**
     * The class path resource a Spring-style location names: {@code classpath:/db/x.yaml} and
     * {@code classpath:db/x.yaml} are {@code db/x.yaml}, as Liquibase records it.
     */
    private static String withoutClasspathPrefix(String location) {
        String prefix = "classpath:";
        if (!location.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return location;
        }
        int start = prefix.length();
        while (start < location.length() && location.charAt(start) == '/') {
            start++;
        }
        return location.substring(start);
    }

    /**
     * A check of the changelog {@code changeLogFile} found through {@code resourceAccessor} (a
     * directory, say), named {@value #NAME}.
     *
     * @param dataSource the data source the service migrates
     * @param changeLogFile the changelog the service passes to Liquibase
     * @param resourceAccessor where Liquibase finds the changelog and the files it includes
     * @return the check
     * @throws IllegalArgumentException if {@code changeLogFile} is blank
     */
    public static LiquibaseMigrationsCheck of(DataSource dataSource, String changeLogFile, ResourceAccessor resourceAccessor) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(changeLogFile, "changeLogFile");
        Objects.requireNonNull(resourceAccessor, "resourceAccessor");
        if (changeLogFile.isBlank()) {
            throw new IllegalArgumentException("a Liquibase changelog file is needed, got '" + changeLogFile + "'");
        }
        return new LiquibaseMigrationsCheck(dataSource, new ChangeLogSource(changeLogFile, resourceAccessor, "", ""),
                HistoryTable.DEFAULT, NAME);
    }

    /**
     * A copy of this check registered under another name, for a service with several databases.
     *
     * @param name the name to register the check under
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public LiquibaseMigrationsCheck withName(String name) {
        return new LiquibaseMigrationsCheck(dataSource, changeLog, history, nonBlank(name, "a check needs a non-blank name"));
    }

    /**
     * A copy of this check that counts only the changesets {@code update} runs with these
     * contexts, written as Liquibase takes them ({@code "prod, !test"}).
     *
     * @param contexts the contexts the service runs Liquibase with
     * @return a new check
     */
    public LiquibaseMigrationsCheck withContexts(String contexts) {
        Objects.requireNonNull(contexts, "contexts");
        return new LiquibaseMigrationsCheck(dataSource, changeLog.withContexts(contexts), history, name);
    }

    /**
     * A copy of this check that counts only the changesets {@code update} runs with this label
     * expression ({@code "v2 and !beta"}).
     *
     * @param labels the label expression the service runs Liquibase with
     * @return a new check
     */
    public LiquibaseMigrationsCheck withLabels(String labels) {
        Objects.requireNonNull(labels, "labels");
        return new LiquibaseMigrationsCheck(dataSource, changeLog.withLabels(labels), history, name);
    }

    /**
     * A copy of this check that reads the history from another table than
     * {@code DATABASECHANGELOG}, as Liquibase's {@code databaseChangeLogTableName} setting does.
     *
     * @param table the history table's name, matched without regard to case
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public LiquibaseMigrationsCheck withHistoryTable(String table) {
        return new LiquibaseMigrationsCheck(dataSource, changeLog,
                history.withTable(nonBlank(table, "a history table name is needed")), name);
    }

    /**
     * A copy of this check that looks for the history table in this schema (Liquibase's
     * {@code liquibaseSchemaName}) instead of the connection's current one.
     *
     * @param schema the schema (on MariaDB and MySQL, the database) holding the history table
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public LiquibaseMigrationsCheck withHistorySchema(String schema) {
        return new LiquibaseMigrationsCheck(dataSource, changeLog,
                history.withSchema(nonBlank(schema, "a history schema name is needed")), name);
    }

    private static String nonBlank(String value, String message) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException(message + ", got '" + value + "'");
        }
        return value;
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
     * Compares the changelog with the history the database holds, reading only.
     *
     * @return empty when every changeset has been applied, else what is pending or failed
     * @throws Exception if the changelog cannot be parsed, or reading the history fails other
     *     than by losing the connection
     */
    @Override
    public List<CheckMessage> run() throws Exception {
        if (changeLog.isParsed()) {
            return check();
        }
        // Until the changelog has been read once, the work runs on a thread of its own: on a JVM where
        // Liquibase has not run yet, starting it and parsing takes seconds, more than a heartbeat waits.
        CompletableFuture<List<CheckMessage>> first = firstRun.get();
        if (first == null || first.isDone()) {
            CompletableFuture<List<CheckMessage>> fresh = new CompletableFuture<>();
            if (firstRun.compareAndSet(first, fresh)) {
                Thread.ofVirtual().name("dockerflow-liquibase-first-run").start(() -> {
                    try {
                        fresh.complete(check());
                    } catch (Throwable t) {
                        fresh.completeExceptionally(t);
                    }
                });
            }
            first = firstRun.get();
        }
        try {
            return first.get(FIRST_RUN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return List.of(CheckMessage.info(NOT_CHECKED_YET_ID,
                    "Migrations not checked yet: Liquibase is still reading the changelog " + changeLog.file()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private List<CheckMessage> check() throws Exception {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            return List.of(cannotCheck(e));
        }
        try (connection) {
            try {
                List<ExpectedChangeSet> expected = changeLog.changeSets(connection);
                History ran = history.read(connection, QUERY_TIMEOUT_SECONDS);
                return compare(expected, ran);
            } finally {
                if (!connection.getAutoCommit()) {
                    // A pooled connection goes back without the transaction the SELECT opened.
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            if (HistoryTable.isConnectionFailure(e)) {
                return List.of(cannotCheck(e));
            }
            throw e;
        }
    }

    private List<CheckMessage> compare(List<ExpectedChangeSet> expected, History history) throws Exception {
        List<String> pending = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        changeLog.inScope(() -> {
            for (ExpectedChangeSet changeSet : expected) {
                switch (history.stateOf(changeSet)) {
                    case APPLIED -> { }
                    case CHANGED -> changed.add(changeSet.label());
                    case NOT_RUN -> pending.add(changeSet.label());
                }
            }
        });
        List<CheckMessage> messages = new ArrayList<>(2);
        if (!changed.isEmpty()) {
            messages.add(CheckMessage.error(FAILED_ID, (changed.size() == 1 ? "Failed migration: " : "Failed migrations: ")
                    + names(changed) + " (changed since applied; update stops at its checksum)"));
        }
        if (!pending.isEmpty()) {
            messages.add(CheckMessage.warning(PENDING_ID, "Unapplied migrations found: " + names(pending)));
        }
        return messages;
    }

    private static String names(List<String> labels) {
        if (labels.size() <= MAX_NAMED) {
            return String.join(", ", labels);
        }
        return String.join(", ", labels.subList(0, MAX_NAMED)) + " and " + (labels.size() - MAX_NAMED) + " more";
    }

    private static CheckMessage cannotCheck(SQLException e) {
        return CheckMessage.info(CANNOT_CHECK_ID, "Can't connect to database to check migrations: " + HistoryTable.describe(e));
    }

    @Override
    public String toString() {
        return "LiquibaseMigrationsCheck[" + name + ", " + changeLog.file() + "]";
    }
}
