package dev.dockerflow.checks.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.Services;
import dev.dockerflow.checks.support.SingleConnectionDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

class LiquibaseMigrationsCheckTest {

    private static final String ITEMS = "liquibase/items.xml";
    private static final String MORE_ITEMS = "liquibase/more-items.xml";
    private static final String ITEMS_EDITED = "liquibase/items-edited.xml";
    private static final String STOPS = "liquibase/stops.xml";

    // Liquibase logs every changeset it runs; the tests migrate often.
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");
    private static java.util.logging.Level liquibaseLevel;

    @BeforeAll
    static void quietLiquibase() {
        liquibaseLevel = LIQUIBASE_LOG.getLevel();
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.OFF);
        // The tests' own update runs must not try to reach anything beyond loopback.
        System.setProperty("liquibase.analytics.enabled", "false");
        // Its update summary goes to the (silenced) log rather than to the build's output.
        System.setProperty("liquibase.showSummaryOutput", "log");
    }

    @AfterAll
    static void restoreLiquibaseLog() {
        LIQUIBASE_LOG.setLevel(liquibaseLevel);
    }

    /** The databases the check is tested on; each test gets a database of its own, dropped afterwards. */
    enum Kind { H2, POSTGRESQL, MARIADB }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void upToDateDatabaseIsHealthy(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            db.migrate(ITEMS, "");
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(db.dataSource(), ITEMS);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).as("second run, parsed changelog kept").isEmpty();
        }
    }

    @Test
    void aClasspathLocationNamesTheSameResourceAsSpringWritesIt() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(Kind.H2)) {
            db.migrate(ITEMS, "");
            assertThat(LiquibaseMigrationsCheck.of(db.dataSource(), "classpath:" + ITEMS).run()).isEmpty();
            assertThat(LiquibaseMigrationsCheck.of(db.dataSource(), "classpath:/" + ITEMS).run()).isEmpty();
            assertThat(single(LiquibaseMigrationsCheck.of(db.dataSource(), "classpath:" + MORE_ITEMS).run()).id())
                    .isEqualTo("dockerflow.health.W001");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void pendingChangeSetsAreAWarningNamingThemAndContextsAndDbmsCountAsUpdateCountsThem(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            db.migrate(ITEMS, "");
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(db.dataSource(), MORE_ITEMS);

            CheckMessage m = single(check.run());
            assertThat(m.id()).isEqualTo("dockerflow.health.W001");
            assertThat(m.level()).isEqualTo(Level.WARNING);
            // Without contexts update runs 4 (context "test") too; 5 runs only on Oracle.
            assertThat(m.text()).isEqualTo(
                    "Unapplied migrations found: liquibase/more-items.xml::3::dockerflow, liquibase/more-items.xml::4::dockerflow");

            LiquibaseMigrationsCheck inProduction = check.withContexts("prod");
            assertThat(single(inProduction.run()).text()).isEqualTo("Unapplied migrations found: liquibase/more-items.xml::3::dockerflow");

            db.migrate(MORE_ITEMS, "prod");
            assertThat(inProduction.run()).isEmpty();
            assertThat(single(check.run()).text()).isEqualTo("Unapplied migrations found: liquibase/more-items.xml::4::dockerflow");
            db.migrate(MORE_ITEMS, "");
            assertThat(check.run()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void databaseThatNeverSawLiquibaseHasEveryChangeSetPendingAndKeepsItsTableList(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            db.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100))");
            List<String> before = db.relations();
            assertThat(before).as("the application's own table").hasSize(kind == Kind.POSTGRESQL ? 2 : 1);

            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(db.dataSource(), MORE_ITEMS);
            CheckMessage m = single(check.run());
            assertThat(m.id()).isEqualTo("dockerflow.health.W001");
            assertThat(m.text()).isEqualTo("Unapplied migrations found: liquibase/items.xml::1::dockerflow, "
                    + "liquibase/items.xml::2::dockerflow, liquibase/more-items.xml::3::dockerflow, liquibase/more-items.xml::4::dockerflow");
            assertThat(check.run()).hasSize(1);

            assertThat(db.relations()).as("tables (and on PostgreSQL every relation) after the check")
                    .containsExactlyElementsOf(before)
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).contains("databasechangelog"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void historyLockAndChecksumsAreLeftExactlyAsTheyWere(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            db.migrate(ITEMS, "");
            // Liquibase fills in missing checksums whenever it validates; the check must not.
            db.execute("UPDATE DATABASECHANGELOG SET MD5SUM = NULL");
            List<String> history = db.rows("SELECT * FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED");
            List<String> lock = db.rows("SELECT * FROM DATABASECHANGELOGLOCK");
            List<String> relations = db.relations();

            assertThat(single(LiquibaseMigrationsCheck.of(db.dataSource(), MORE_ITEMS).run()).id())
                    .isEqualTo("dockerflow.health.W001");

            assertThat(db.rows("SELECT * FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")).isEqualTo(history)
                    .allMatch(row -> row.contains("MD5SUM=null"));
            assertThat(db.rows("SELECT * FROM DATABASECHANGELOGLOCK")).isEqualTo(lock);
            assertThat(db.relations()).isEqualTo(relations);
        }
    }

    @Test
    void aRoleThatMayOnlyReadCanRunTheCheck() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(Kind.POSTGRESQL)) {
            db.migrate(ITEMS, "");
            String reader = "reader_" + UUID.randomUUID().toString().replace("-", "");
            db.execute("CREATE ROLE " + reader + " LOGIN");
            try {
                db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + reader);
                db.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
                PGSimpleDataSource asReader = db.postgresqlDataSource(reader);
                assertThat(LiquibaseMigrationsCheck.of(asReader, ITEMS).run()).isEmpty();
                assertThat(single(LiquibaseMigrationsCheck.of(asReader, MORE_ITEMS).withContexts("prod").run()).text())
                        .isEqualTo("Unapplied migrations found: liquibase/more-items.xml::3::dockerflow");
            } finally {
                db.execute("DROP OWNED BY " + reader);
                db.execute("DROP ROLE " + reader);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void changeSetEditedAfterItRanIsAFailedMigrationThatStopsUpdate(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            db.migrate(ITEMS, "");

            CheckMessage m = single(LiquibaseMigrationsCheck.of(db.dataSource(), ITEMS_EDITED).run());
            assertThat(m.id()).isEqualTo("dockerflow.health.E014");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).isEqualTo("Failed migration: liquibase/items.xml::2::dockerflow"
                    + " (changed since applied; update stops at its checksum)");

            // What the check foresees is what Liquibase does.
            assertThatThrownBy(() -> db.migrate(ITEMS_EDITED, "")).hasStackTraceContaining("liquibase/items.xml::2::dockerflow")
                    .hasStackTraceContaining("check sum");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void changeSetThatStoppedTheUpdateIsStillPending(Kind kind) throws Exception {
        try (FreshDatabase db = FreshDatabase.create(kind)) {
            assertThatThrownBy(() -> db.migrate(STOPS, "")).isInstanceOf(LiquibaseException.class);

            CheckMessage m = single(LiquibaseMigrationsCheck.of(db.dataSource(), STOPS).run());
            assertThat(m.id()).isEqualTo("dockerflow.health.W001");
            assertThat(m.text()).isEqualTo("Unapplied migrations found: liquibase/stops.xml::3::dockerflow");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unreachableDatabaseIsOnlyInformation(Kind kind) throws Exception {
        DataSource down = switch (kind) {
            case H2 -> {
                JdbcDataSource h2 = new JdbcDataSource();
                h2.setURL("jdbc:h2:./target/no-such-dir-" + UUID.randomUUID() + "/db;IFEXISTS=TRUE");
                yield h2;
            }
            case POSTGRESQL -> {
                PGSimpleDataSource pg = new PGSimpleDataSource();
                pg.setURL("jdbc:postgresql://127.0.0.1:" + Ports.closed() + "/test");
                pg.setUser("postgres");
                yield pg;
            }
            case MARIADB -> new MariaDbDataSource("jdbc:mariadb://127.0.0.1:" + Ports.closed() + "/test?user=root&connectTimeout=2000");
        };
        CheckMessage m = single(LiquibaseMigrationsCheck.of(down, ITEMS).run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.I001");
        assertThat(m.level()).isEqualTo(Level.INFO);
        assertThat(m.text()).startsWith("Can't connect to database to check migrations: ").contains("SQLState");
    }

    @Test
    void slowFirstRunIsOnlyInformationAndFinishesOnItsOwnThread() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(Kind.H2)) {
            DataSource real = db.dataSource();
            CountDownLatch release = new CountDownLatch(1);
            // A data source that holds the first run back as a cold Liquibase does, until the test lets it go.
            DataSource held = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection") && method.getParameterCount() == 0) {
                            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(held, ITEMS);

            CheckMessage waiting = single(check.run());
            assertThat(waiting.id()).isEqualTo("dockerflow.health.I002");
            assertThat(waiting.level()).isEqualTo(Level.INFO);
            assertThat(waiting.text()).isEqualTo("Migrations not checked yet: Liquibase is still reading the changelog liquibase/items.xml");

            release.countDown();
            List<CheckMessage> messages = check.run();
            for (int i = 0; i < 20 && messages.getFirst().id().equals("dockerflow.health.I002"); i++) {
                messages = check.run(); // each waits for the first run, at most FIRST_RUN_WAIT_MILLIS
            }
            assertThat(single(messages).id()).isEqualTo("dockerflow.health.W001");
            assertThat(single(check.run()).id()).as("parsed: runs at once from now on").isEqualTo("dockerflow.health.W001");
        }
    }

    @Test
    void theConnectionGoesBackAsItCame() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:lq-autocommit-" + UUID.randomUUID());
             SingleConnectionDataSource dataSource = new SingleConnectionDataSource(connection)) {
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(single(LiquibaseMigrationsCheck.of(dataSource, ITEMS).run()).id()).isEqualTo("dockerflow.health.W001");
            assertThat(connection.getAutoCommit()).as("Liquibase turns auto-commit off on connections it is given").isTrue();
            assertThat(connection.isReadOnly()).isFalse();
        }
    }

    @Test
    void historyInAnotherTableAndSchemaIsFound() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(Kind.H2)) {
            db.execute("CREATE SCHEMA audit");
            db.migrate(ITEMS, "", "audit", "MIGRATION_HISTORY");
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(db.dataSource(), ITEMS);
            assertThat(single(check.run()).id()).as("the default table is not there").isEqualTo("dockerflow.health.W001");
            assertThat(check.withHistorySchema("audit").withHistoryTable("migration_history").run()).isEmpty();
        }
    }

    @Test
    void unparsableChangeLogIsThrownForTheHeartbeatToReport() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(Kind.H2)) {
            LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(db.dataSource(), "liquibase/no-such-changelog.xml");
            assertThatThrownBy(check::run).isInstanceOf(LiquibaseException.class).hasMessageContaining("no-such-changelog.xml");
        }
    }

    @Test
    void factoriesNameTheCheckAndValidateTheirArguments() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        LiquibaseMigrationsCheck check = LiquibaseMigrationsCheck.of(dataSource, ITEMS);
        assertThat(check.name()).isEqualTo("check_migrations_applied").isEqualTo(LiquibaseMigrationsCheck.NAME);
        assertThat(check.withName("orders-migrations").name()).isEqualTo("orders-migrations");
        assertThatThrownBy(() -> check.withName(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
        assertThatThrownBy(() -> LiquibaseMigrationsCheck.of(dataSource, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("''");
        assertThatThrownBy(() -> check.withHistoryTable("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiquibaseMigrationsCheck.of(null, ITEMS)).isInstanceOf(NullPointerException.class)
                .hasMessage("dataSource");
    }

    /** A database of the test's own on one of the three servers, dropped by {@link #close()}. */
    private record FreshDatabase(Kind kind, String name, String url) implements AutoCloseable {

        static FreshDatabase create(Kind kind) throws SQLException {
            String name = "lq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            switch (kind) {
                case H2 -> {
                    return new FreshDatabase(kind, name, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
                }
                case POSTGRESQL -> {
                    Services.assumePostgresql();
                    admin(Services.POSTGRESQL_URL, "postgres", "CREATE DATABASE " + name);
                    return new FreshDatabase(kind, name, "jdbc:postgresql://127.0.0.1:5432/" + name);
                }
                case MARIADB -> {
                    Services.assumeMariadb();
                    admin(Services.MARIADB_URL, "root", "CREATE DATABASE " + name);
                    return new FreshDatabase(kind, name, "jdbc:mariadb://127.0.0.1:3306/" + name);
                }
                default -> throw new IllegalArgumentException(kind.toString());
            }
        }

        private static void admin(String url, String user, String sql) throws SQLException {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        Connection connect() throws SQLException {
            return switch (kind) {
                case H2 -> DriverManager.getConnection(url, "sa", "");
                case POSTGRESQL -> DriverManager.getConnection(url, "postgres", "");
                case MARIADB -> DriverManager.getConnection(url, "root", "");
            };
        }

        DataSource dataSource() throws SQLException {
            return switch (kind) {
                case H2 -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL(url);
                    h2.setUser("sa");
                    yield h2;
                }
                case POSTGRESQL -> postgresqlDataSource("postgres");
                case MARIADB -> new MariaDbDataSource(url + "?user=root");
            };
        }

        PGSimpleDataSource postgresqlDataSource(String user) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            pg.setUser(user);
            return pg;
        }

        void execute(String sql) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        void migrate(String changeLog, String contexts) throws Exception {
            migrate(changeLog, contexts, "", "");
        }

        @SuppressWarnings("deprecation") // the Liquibase facade is the shortest way to run update in a test
        void migrate(String changeLog, String contexts, String schema, String table) throws Exception {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connect()));
            if (!schema.isEmpty()) {
                database.setLiquibaseSchemaName(schema);
            }
            if (!table.isEmpty()) {
                database.setDatabaseChangeLogTableName(table);
            }
            // Liquibase reports a failed update on the console too; the test looks at the exception.
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), () -> {
                try (Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database)) {
                    liquibase.update(new Contexts(contexts), new LabelExpression());
                }
            });
        }

        /** Every row of a query, each as {@code COLUMN=value, ...}, column names upper-cased. */
        List<String> rows(String sql) throws SQLException {
            List<String> rows = new ArrayList<>();
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                ResultSetMetaData meta = r.getMetaData();
                while (r.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        cells.add(meta.getColumnLabel(i).toUpperCase(Locale.ROOT) + "=" + r.getString(i));
                    }
                    rows.add(String.join(", ", cells));
                }
            }
            return rows;
        }

        /**
         * The database's tables (on PostgreSQL: every relation, indexes and sequences included),
         * from the catalog, sorted.
         */
        List<String> relations() throws SQLException {
            String sql = switch (kind) {
                case H2 -> "SELECT TABLE_SCHEMA || '.' || TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' ORDER BY 1";
                case POSTGRESQL -> "SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
                        + " ORDER BY 1";
                case MARIADB -> "SELECT table_schema, table_name FROM information_schema.tables"
                        + " WHERE table_schema NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys')"
                        + " AND table_schema = '" + name + "' ORDER BY 1, 2";
            };
            return rows(sql);
        }

        @Override
        public void close() throws SQLException {
            switch (kind) {
                case H2 -> execute("SHUTDOWN");
                case POSTGRESQL -> admin(Services.POSTGRESQL_URL, "postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                case MARIADB -> admin(Services.MARIADB_URL, "root", "DROP DATABASE IF EXISTS " + name);
            }
        }
    }
}
