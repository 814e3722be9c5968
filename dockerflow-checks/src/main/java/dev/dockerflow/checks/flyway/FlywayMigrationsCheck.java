package dev.dockerflow.checks.flyway;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.Configuration;

/**
 * Checks that every migration Flyway knows of has been applied, and that none failed.
 * The counterpart of python-dockerflow's {@code check_migrations_applied}, registered by
 * default under the same name.
 *
 * <p>It only reads: it calls {@link Flyway#info()} and never migrates, repairs, baselines or
 * cleans.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th><th>text begins with</th></tr>
 *   <tr><td>{@value #PENDING_ID}</td><td>warning</td><td>migrations are waiting to be applied;
 *       the text names their versions (or descriptions, for repeatable ones), oldest first</td>
 *       <td>{@code Unapplied migrations found: }</td></tr>
 *   <tr><td>{@value #FAILED_ID}</td><td>error</td><td>the schema history records a failed
 *       migration (on databases without transactional DDL, such as MariaDB and MySQL, a failed
 *       migration stays recorded until it is repaired)</td><td>{@code Failed migration}</td></tr>
 *   <tr><td>{@value #CANNOT_CHECK_ID}</td><td>info</td><td>the database could not be reached to
 *       read the schema history; the database check reports the outage itself</td>
 *       <td>{@code Can't connect to database to check migrations: }</td></tr>
 * </table>
 *
 * <p>Quiet on every heartbeat: {@link Flyway#info()} logs at INFO each time it is called
 * (the environment, the database), so a check calling it on every heartbeat would fill the
 * log. Each run instead reads the schema history table itself ({@code installed_rank},
 * {@code version}, {@code checksum} and {@code success} of each row, through Flyway's data
 * source) and asks Flyway again only when that differs from the last time Flyway was asked:
 * Flyway's lines appear once per change of the schema history, not once per heartbeat. The
 * migrations Flyway can see are those of the running artifact and do not change while it
 * runs. If the table cannot be read that way (a database whose quoting differs from Flyway's,
 * say), the check says so once in the log and asks Flyway on every run.
 *
 * <p>Timeouts: reading the schema history is bounded by the data source's own connect
 * timeout and by the heartbeat, which interrupts the check when its timeout passes.
 * Any other Flyway failure (a configuration error, say) is thrown and reported by the
 * heartbeat as {@code dockerflow.health.E012}.
 *
 * <p>Thread-safe as far as the given {@link Flyway} is (Flyway instances are); the only
 * state is the last answer and the schema history it was read from.
 */
public final class FlywayMigrationsCheck implements Check {

    /** The default registration name, python-dockerflow's: {@value}. */
    public static final String NAME = "check_migrations_applied";

    /** Id reported when migrations are waiting to be applied. */
    public static final String PENDING_ID = "dockerflow.health.W001";

    /** Id reported when a migration failed. */
    public static final String FAILED_ID = "dockerflow.health.E014";

    /** Id reported when the database cannot be reached to check migrations. */
    public static final String CANNOT_CHECK_ID = "dockerflow.health.I001";

    private static final System.Logger LOG = System.getLogger(FlywayMigrationsCheck.class.getName());
    private static final String ABSENT = "absent";

    private final Flyway flyway;
    private final String name;
    private final AtomicReference<Answer> last = new AtomicReference<>();
    private final AtomicBoolean historyUnreadable = new AtomicBoolean();
    // Flyway makes a new data source on each call when it was given a URL: keep the first.
    private final AtomicReference<DataSource> dataSource = new AtomicReference<>();

    /** What Flyway answered, and the schema history it answered for. */
    private record Answer(String history, List<CheckMessage> messages) {
    }

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
     * Reads the schema history and compares it with the migrations Flyway can see, asking
     * Flyway only when the history changed since it was last asked.
     *
     * @return empty when everything is applied, else what is pending or failed
     * @throws FlywayException for a Flyway failure that is not about reaching the database
     */
    @Override
    public List<CheckMessage> run() {
        if (historyUnreadable.get()) {
            return askFlyway().messages();
        }
        Configuration configuration = flyway.getConfiguration();
        DataSource source = dataSource.updateAndGet(known -> known != null ? known : configuration.getDataSource());
        if (source == null) {
            return askFlyway().messages(); // Flyway says what is missing
        }
        String history;
        try {
            history = history(source, configuration);
        } catch (SQLException e) {
            return List.of(cannotCheck(e));
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                return askFlyway().messages();
            }
            return List.of(cannotCheck(sql));
        }
        Answer known = last.get();
        if (known != null && known.history().equals(history)) {
            return known.messages();
        }
        Answer answer = askFlyway();
        if (answer.history() != null) {
            boolean flywaySeesHistory = !answer.history().equals(ABSENT);
            boolean checkSeesHistory = !history.equals(ABSENT);
            if (flywaySeesHistory != checkSeesHistory) {
                // The check reads another table than Flyway does: from now on only Flyway decides.
                historyUnreadable.set(true);
                LOG.log(System.Logger.Level.WARNING, () -> "Migrations check " + name + " cannot read the schema history table "
                        + table(configuration, "") + " as Flyway sees it; it asks Flyway on every run, and Flyway logs each time");
            } else {
                last.set(new Answer(history, answer.messages()));
            }
        }
        return answer.messages();
    }

    /**
     * Asks Flyway. The answer's {@code history} is {@link #ABSENT} when Flyway found nothing
     * applied, any other non-null text when it did, and {@code null} when Flyway could not
     * reach the database.
     */
    private Answer askFlyway() {
        MigrationInfoService info;
        try {
            info = flyway.info();
        } catch (FlywayException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            return new Answer(null, List.of(cannotCheck(sql)));
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
            messages.add(CheckMessage.warning(PENDING_ID, "Unapplied migrations found: " + String.join(", ", labels)));
        }
        return new Answer(info.applied().length == 0 ? ABSENT : "applied", List.copyOf(messages));
    }

    /**
     * A digest of the schema history table's rows, or {@link #ABSENT} when it does not exist
     * (or holds no rows).
     */
    private static String history(DataSource dataSource, Configuration configuration) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String quote = connection.getMetaData().getIdentifierQuoteString();
            String q = quote == null || quote.isBlank() ? "" : quote.strip();
            // Flyway names the columns in lower case and quotes them, as it does the table.
            String sql = "SELECT " + q + "installed_rank" + q + ", " + q + "version" + q + ", " + q + "checksum" + q + ", "
                    + q + "success" + q + " FROM " + table(configuration, q);
            MessageDigest digest = sha256();
            long rows = 0;
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    rows++;
                    for (int column = 1; column <= 4; column++) {
                        digest.update(String.valueOf(rs.getString(column)).getBytes(StandardCharsets.UTF_8));
                        digest.update((byte) 0);
                    }
                }
            } catch (SQLException e) {
                // Class 42: no such table (or no right to read it), which is what Flyway meets before
                // the first migration. Anything else is the database failing to answer.
                if (e.getSQLState() != null && e.getSQLState().startsWith("42")) {
                    return ABSENT;
                }
                throw e;
            }
            return rows == 0 ? ABSENT : rows + ":" + HexFormat.of().formatHex(digest.digest());
        }
    }

    /** The schema history table as Flyway names it: its default schema, else its first schema, else the connection's. */
    private static String table(Configuration configuration, String quote) {
        String schema = configuration.getDefaultSchema();
        if (schema == null && configuration.getSchemas() != null && configuration.getSchemas().length > 0) {
            schema = configuration.getSchemas()[0];
        }
        String table = quote + configuration.getTable() + quote;
        return schema == null ? table : quote + schema + quote + "." + table;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static CheckMessage cannotCheck(SQLException e) {
        return CheckMessage.info(CANNOT_CHECK_ID, "Can't connect to database to check migrations: " + describe(e));
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
