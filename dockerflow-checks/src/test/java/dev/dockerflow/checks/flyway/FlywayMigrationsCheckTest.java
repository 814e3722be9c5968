package dev.dockerflow.checks.flyway;

import static dev.dockerflow.checks.support.Services.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Heartbeat;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.BlackholeServer;
import dev.dockerflow.checks.support.FlywayLogCapture;
import dev.dockerflow.checks.support.HeartbeatRun;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.Services;
import dev.dockerflow.test.TcpProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlywayMigrationsCheckTest {

    private static final String OK = "classpath:db/migration/ok";
    private static final String BROKEN = "classpath:db/migration/broken";

    // A schema of its own per test, so runs never see each other's history.
    private final String schema = "dfchk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Runnable cleanup = () -> { };

    @AfterEach
    void dropSchema() {
        cleanup.run();
    }

    private Flyway postgresql(String... locations) {
        Services.assumePostgresql();
        cleanup = () -> execute(Services.POSTGRESQL_URL, "root", "", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        return Flyway.configure().dataSource(Services.POSTGRESQL_URL, "root", "").loggers(FlywayLogCapture.class.getName())
                .schemas(schema).locations(locations).load();
    }

    private Flyway mariadb(String... locations) {
        Services.assumeMariadb();
        cleanup = () -> execute(Services.MARIADB_URL, "root", "", "DROP DATABASE IF EXISTS " + schema);
        return Flyway.configure().dataSource(Services.MARIADB_URL, "root", "").loggers(FlywayLogCapture.class.getName())
                .schemas(schema).locations(locations).load();
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cleanup failed: " + sql, e);
        }
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @Test
    void pendingMigrationsOnPostgresqlAreAWarningNamingTheirVersionsUntilMigrated() {
        Flyway flyway = postgresql(OK);
        FlywayMigrationsCheck check = FlywayMigrationsCheck.of(flyway);

        CheckMessage m = single(check.run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.W001");
        assertThat(m.level()).isEqualTo(Level.WARNING);
        assertThat(m.text()).isEqualTo("Unapplied migrations found: 1 (create items), 2 (add owner)");

        flyway.migrate();
        assertThat(check.run()).isEmpty();
    }

    @Test
    void theCheckOnlyReadsAndNeverApplies() {
        Flyway flyway = postgresql(OK);
        FlywayMigrationsCheck check = FlywayMigrationsCheck.of(flyway);
        check.run();
        check.run();
        assertThat(flyway.info().applied()).isEmpty();
        assertThat(flyway.info().pending()).hasSize(2);
    }

    @Test
    void oneMigrationLeftIsNamedAlone() {
        Flyway all = postgresql(OK);
        Flyway.configure().configuration(all.getConfiguration()).target("1").load().migrate();
        CheckMessage m = single(FlywayMigrationsCheck.of(all).run());
        assertThat(m.text()).isEqualTo("Unapplied migrations found: 2 (add owner)");
    }

    @Test
    void failedMigrationOnMariadbIsAnError() {
        Flyway flyway = mariadb(OK, BROKEN);
        assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class);

        HeartbeatRun run = HeartbeatRun.of(FlywayMigrationsCheck.NAME, FlywayMigrationsCheck.of(flyway), Duration.ofSeconds(5));
        assertThat(run.result().level()).isEqualTo(Level.ERROR);
        assertThat(run.report().passed()).isFalse();
        CheckMessage m = single(run.result().messages());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E014");
        assertThat(m.text()).isEqualTo("Failed migration: 3 (broken) [Failed]");
    }

    @Test
    void pendingMigrationsOnMariadbAreAWarning() {
        Flyway flyway = mariadb(OK);
        assertThat(single(FlywayMigrationsCheck.of(flyway).run()).id()).isEqualTo("dockerflow.health.W001");
        flyway.migrate();
        assertThat(FlywayMigrationsCheck.of(flyway).run()).isEmpty();
    }

    @Test
    void embeddedH2MigrationsArePendingThenApplied() {
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1", "sa", "")
                .locations(OK).load();
        assertThat(single(FlywayMigrationsCheck.of(flyway).run()).text())
                .isEqualTo("Unapplied migrations found: 1 (create items), 2 (add owner)");
        flyway.migrate();
        assertThat(FlywayMigrationsCheck.of(flyway).run()).isEmpty();
    }

    @Test
    void unreachableDatabaseIsOnlyInformation() {
        int port = Ports.closed();
        Flyway flyway = Flyway.configure().dataSource("jdbc:postgresql://" + HOST + ":" + port + "/test", "root", "")
                .locations(OK).load();

        HeartbeatRun run = HeartbeatRun.of(FlywayMigrationsCheck.NAME, FlywayMigrationsCheck.of(flyway), Duration.ofSeconds(5));
        assertThat(run.report().passed()).isTrue();
        CheckMessage m = single(run.result().messages());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.I001");
        assertThat(m.level()).isEqualTo(Level.INFO);
        assertThat(m.text()).startsWith("Can't connect to database to check migrations: ")
                .contains(HOST + ":" + port, "08001");
    }

    @Test
    void blackholeDatabaseStillGetsAnErrorAnswerWithinTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            Flyway flyway = Flyway.configure()
                    .dataSource("jdbc:postgresql://" + HOST + ":" + blackhole.port() + "/test", "root", "")
                    .locations(OK).load();
            HeartbeatRun.of(FlywayMigrationsCheck.NAME, FlywayMigrationsCheck.of(flyway), timeout)
                    .assertTimedOutWithinAndCheckEnded(timeout.plusMillis(2500));
        }
    }

    @Test
    void aThousandHealthyRunsMakeFlywayLogAtMostOnce() {
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1", "sa", "")
                .loggers(FlywayLogCapture.class.getName()).locations(OK).load();
        flyway.migrate();
        // what the check had on every heartbeat before: Flyway.info() logs each time it is called
        FlywayLogCapture.clear();
        flyway.info();
        assertThat(FlywayLogCapture.lines()).as("Flyway's own lines for one info()").isNotEmpty();

        FlywayLogCapture.clear();
        FlywayMigrationsCheck check = FlywayMigrationsCheck.of(flyway);
        for (int i = 0; i < 1000; i++) {
            assertThat(check.run()).isEmpty();
        }
        // the first run asks Flyway (its two or three lines); the 999 after it do not
        assertThat(FlywayLogCapture.lines()).hasSizeLessThanOrEqualTo(3);
    }

    private Flyway onDatabase(String database) {
        return database.equals("postgresql") ? postgresql(OK) : mariadb(OK);
    }

    private void executeOn(String database, String sql) {
        execute(database.equals("postgresql") ? Services.POSTGRESQL_URL : Services.MARIADB_URL, "root", "", sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aChangedSchemaHistoryIsSeenAndOnlyThenIsFlywayAskedAgain(String database) {
        Flyway flyway = onDatabase(database);
        FlywayMigrationsCheck check = FlywayMigrationsCheck.of(flyway);
        assertThat(single(check.run()).text()).isEqualTo("Unapplied migrations found: 1 (create items), 2 (add owner)");

        flyway.migrate(); // as another instance of the service would
        FlywayLogCapture.clear();
        assertThat(check.run()).isEmpty();
        int linesOfOneChange = FlywayLogCapture.lines().size();
        for (int i = 0; i < 20; i++) {
            assertThat(check.run()).isEmpty();
        }
        assertThat(FlywayLogCapture.lines()).hasSize(linesOfOneChange);

        // someone removes the record of migration 2 behind the service's back
        String table = database.equals("postgresql") ? schema + ".flyway_schema_history" : "`" + schema + "`.flyway_schema_history";
        executeOn(database, "DELETE FROM " + table + " WHERE version = '2'");
        assertThat(single(check.run()).text()).isEqualTo("Unapplied migrations found: 2 (add owner)");
        FlywayLogCapture.clear();
        for (int i = 0; i < 20; i++) {
            assertThat(single(check.run()).id()).isEqualTo("dockerflow.health.W001");
        }
        assertThat(FlywayLogCapture.lines()).isEmpty();
    }

    @Test
    void unreachableDatabaseAfterAHealthyRunIsOnlyInformationAndHealthyAgainWhenItAnswers() throws Exception {
        Services.assumePostgresql();
        try (TcpProxy proxy = TcpProxy.start(Services.POSTGRESQL_PORT)) {
            String url = "jdbc:postgresql://" + HOST + ":" + proxy.port() + "/test";
            cleanup = () -> execute(Services.POSTGRESQL_URL, "root", "", "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            Flyway flyway = Flyway.configure().dataSource(url + "?connectTimeout=1&socketTimeout=1", "root", "")
                    .loggers(FlywayLogCapture.class.getName()).schemas(schema).locations(OK).load();
            flyway.migrate();
            FlywayMigrationsCheck check = FlywayMigrationsCheck.of(flyway);
            assertThat(check.run()).isEmpty();

            proxy.mode(TcpProxy.Mode.SWALLOW);
            CheckMessage m = single(check.run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.I001");
            assertThat(m.text()).startsWith("Can't connect to database to check migrations: ");

            proxy.mode(TcpProxy.Mode.FORWARD);
            FlywayLogCapture.clear();
            assertThat(check.run()).isEmpty();
            assertThat(FlywayLogCapture.lines()).as("the history is as it was: Flyway is not asked again").isEmpty();
        }
    }

    @Test
    void factoriesNameTheCheck() {
        Flyway flyway = Flyway.configure().dataSource("jdbc:h2:mem:" + schema, "sa", "").load();
        assertThat(FlywayMigrationsCheck.of(flyway).name()).isEqualTo("check_migrations_applied").isEqualTo(FlywayMigrationsCheck.NAME);
        assertThat(FlywayMigrationsCheck.of(flyway, "orders-migrations").name()).isEqualTo("orders-migrations");
        assertThatThrownBy(() -> FlywayMigrationsCheck.of(flyway, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlywayMigrationsCheck.of(null)).isInstanceOf(NullPointerException.class);
    }
}
