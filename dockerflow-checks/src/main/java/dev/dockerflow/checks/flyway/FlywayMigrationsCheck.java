package dev.dockerflow.checks.flyway;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * Checks that every migration Flyway knows of has been applied, and that none failed.
 * The counterpart of python-dockerflow's {@code check_migrations_applied}.
 *
 * <p>It only reads: it calls {@link Flyway#info()} and never migrates, repairs, baselines or
 * cleans.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #PENDING_ID}</td><td>warning</td><td>migrations are waiting to be applied;
 *       the text names their versions (or descriptions, for repeatable ones), oldest first</td></tr>
 *   <tr><td>{@value #FAILED_ID}</td><td>error</td><td>the schema history records a failed
 *       migration (on databases without transactional DDL, such as MariaDB and MySQL, a failed
 *       migration stays recorded until it is repaired)</td></tr>
 *   <tr><td>{@value #CANNOT_CHECK_ID}</td><td>info</td><td>the database could not be reached to
 *       read the schema history; the database check reports the outage itself</td></tr>
 * </table>
 *
 * <p>Timeouts: reading the schema history is bounded by the data source's own connect
 * timeout and by the heartbeat, which interrupts the check when its timeout passes.
 * Any other Flyway failure (a configuration error, say) is thrown and reported by the
 * heartbeat as {@code dockerflow.health.E012}.
 *
 * <p>Immutable and thread-safe as far as the given {@link Flyway} is; Flyway instances are.
 */
public final class FlywayMigrationsCheck implements Check {

    /** The conventional registration name, {@value}. */
    public static final String NAME = "migrations";

    /** Id reported when migrations are waiting to be applied. */
    public static final String PENDING_ID = "dockerflow.health.W001";

    /** Id reported when a migration failed. */
    public static final String FAILED_ID = "dockerflow.health.E014";

    /** Id reported when the database cannot be reached to check migrations. */
    public static final String CANNOT_CHECK_ID = "dockerflow.health.I001";

    private final Flyway flyway;
    private final String name;

    private FlywayMigrationsCheck(Flyway flyway, String name) {
        this.flyway = flyway;
        this.name = name;
    }

    /**
     * A check of {@code flyway}'s migrations named {@value #NAME}.
     *
     * @param flyway the configured Flyway the service migrates with
     * @return the check
     */
    public static FlywayMigrationsCheck of(Flyway flyway) {
        return of(flyway, NAME);
    }

    /**
     * A check of {@code flyway}'s migrations with its own name, for a service with several
     * databases.
     *
     * @param flyway the configured Flyway
     * @param name the name to register the check under
     * @return the check
     * @throws IllegalArgumentException if the name is blank
     */
    public static FlywayMigrationsCheck of(Flyway flyway, String name) {
        Objects.requireNonNull(flyway, "flyway");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name");
        }
        return new FlywayMigrationsCheck(flyway, name);
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
     * Reads the schema history and compares it with the migrations Flyway can see.
     *
     * @return empty when everything is applied, else what is pending or failed
     * @throws FlywayException for a Flyway failure that is not about reaching the database
     */
    @Override
    public List<CheckMessage> run() {
        MigrationInfoService info;
        try {
            info = flyway.info();
        } catch (FlywayException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            return List.of(CheckMessage.info(CANNOT_CHECK_ID,
                    "Cannot connect to the database to check migrations: " + describe(sql)));
        }
        List<CheckMessage> messages = new ArrayList<>(2);
        List<String> failed = new ArrayList<>();
        for (MigrationInfo m : info.all()) {
            MigrationState state = m.getState();
            if (state != null && state.isFailed()) {
                failed.add(label(m) + " [" + state.getDisplayName() + "]");
            }
        }
        if (!failed.isEmpty()) {
            messages.add(CheckMessage.error(FAILED_ID, (failed.size() == 1 ? "Failed migration: " : "Failed migrations: ")
                    + String.join(", ", failed)));
        }
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            List<String> labels = new ArrayList<>(pending.length);
            for (MigrationInfo m : pending) {
                labels.add(label(m));
            }
            messages.add(CheckMessage.warning(PENDING_ID, (pending.length == 1 ? "Unapplied migration: " : "Unapplied migrations: ")
                    + String.join(", ", labels)));
        }
        return messages;
    }

    private static String label(MigrationInfo m) {
        String description = m.getDescription() == null ? "" : m.getDescription();
        if (m.getVersion() == null) {
            return "repeatable (" + description + ")";
        }
        return description.isEmpty() ? m.getVersion().getVersion() : m.getVersion().getVersion() + " (" + description + ")";
    }

    private static SQLException sqlCause(Throwable top) {
        for (Throwable t = top; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e) {
                return e;
            }
        }
        return null;
    }

    private static String describe(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return e.getSQLState() == null ? message : message + " (SQLState " + e.getSQLState() + ")";
    }

    @Override
    public String toString() {
        return "FlywayMigrationsCheck[" + name + "]";
    }
}
