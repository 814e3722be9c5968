package dev.dockerflow.checks.jdbc;

import static dev.dockerflow.checks.support.Services.HOST;
import static dev.dockerflow.checks.support.Services.MARIADB_URL;
import static dev.dockerflow.checks.support.Services.POSTGRESQL_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.CheckResult;
import dev.dockerflow.Heartbeat;
import dev.dockerflow.Level;
import dev.dockerflow.checks.support.BlackholeServer;
import dev.dockerflow.checks.support.HeartbeatRun;
import dev.dockerflow.checks.support.Ports;
import dev.dockerflow.checks.support.Services;
import dev.dockerflow.checks.support.SingleConnectionDataSource;
import dev.dockerflow.test.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

class DatabaseCheckTest {

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    // Generous: two shared cores, other builds running at the same time.
    private static final Duration MARGIN = Duration.ofMillis(2500);

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    static PGSimpleDataSource postgresql(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("root");
        return ds;
    }

    static MariaDbDataSource mariadb(String url, String user, String password) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    static JdbcDataSource h2(String name, String user, String password) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @Test
    void postgresqlThatAnswersIsHealthy() {
        Services.assumePostgresql();
        assertThat(DatabaseCheck.of(postgresql(POSTGRESQL_URL)).run()).isEmpty();
    }

    @Test
    void mariadbThatAnswersIsHealthy() throws SQLException {
        Services.assumeMariadb();
        assertThat(DatabaseCheck.of(mariadb(MARIADB_URL, "root", "")).run()).isEmpty();
    }

    @Test
    void embeddedH2IsHealthy() {
        assertThat(DatabaseCheck.of(h2("healthy" + SUFFIX, "sa", "")).run()).isEmpty();
    }

    @Test
    void hikariPoolOnPostgresqlIsHealthyAndReturnsTheConnection() {
        Services.assumePostgresql();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRESQL_URL);
        config.setUsername("root");
        config.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            DatabaseCheck check = DatabaseCheck.of(pool);
            assertThat(check.run()).isEmpty();
            assertThat(check.run()).isEmpty();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
        }
    }

    @Test
    void wrongPasswordOnMariadbIsMisconfiguredAndTheTextHasNoPassword() throws SQLException {
        Services.assumeMariadb();
        String user = "dfcheck_" + SUFFIX;
        String rightPassword = "Right-" + SUFFIX;
        String wrongPassword = "Wrong-" + SUFFIX;
        DataSource admin = mariadb(MARIADB_URL, "root", "");
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + rightPassword + "'");
            s.execute("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + rightPassword + "'");
            s.execute("GRANT SELECT ON test.* TO '" + user + "'@'%'");
            s.execute("GRANT SELECT ON test.* TO '" + user + "'@'localhost'");
        }
        try {
            assertThat(DatabaseCheck.of(mariadb(MARIADB_URL, user, rightPassword)).run()).isEmpty();

            CheckMessage m = single(DatabaseCheck.of(mariadb(MARIADB_URL, user, wrongPassword)).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E003");
            assertThat(m.level()).isEqualTo(Level.ERROR);
            assertThat(m.text()).startsWith("Database misconfigured: ").contains("Access denied", user, "28000")
                    .doesNotContain(wrongPassword, rightPassword);

            // A password in a pool's JDBC URL, which the message names, is redacted too.
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(MARIADB_URL + "?user=" + user + "&password=" + wrongPassword);
            config.setInitializationFailTimeout(-1);
            config.setConnectionTimeout(1000);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                CheckMessage pooled = single(DatabaseCheck.of(pool).run());
                assertThat(pooled.id()).isEqualTo("dockerflow.health.E003");
                assertThat(pooled.text()).contains("password=***").doesNotContain(wrongPassword, rightPassword);
            }
        } finally {
            try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                s.execute("DROP USER IF EXISTS '" + user + "'@'localhost'");
            }
        }
    }

    @Test
    void wrongPasswordOnH2IsMisconfigured() throws SQLException {
        String name = "secured" + SUFFIX;
        JdbcDataSource owner = h2(name, "owner", "Right-" + SUFFIX);
        try (Connection keepAlive = owner.getConnection()) {
            CheckMessage m = single(DatabaseCheck.of(h2(name, "owner", "Wrong-" + SUFFIX)).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E003");
            assertThat(m.text()).contains("28000").doesNotContain("Wrong-" + SUFFIX);
            try (Statement s = keepAlive.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
    }

    @Test
    void unknownPostgresqlDatabaseIsMisconfigured() {
        Services.assumePostgresql();
        String url = "jdbc:postgresql://" + HOST + ":" + Services.POSTGRESQL_PORT + "/no_such_db_" + SUFFIX;
        CheckMessage m = single(DatabaseCheck.of(postgresql(url)).run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E003");
        assertThat(m.text()).contains("no_such_db_" + SUFFIX, "3D000");
    }

    @Test
    void jdbcUrlNoDriverAcceptsIsMisconfigured() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:nosuchdriver://" + HOST + "/app");
        try (pool) {
            CheckMessage m = single(DatabaseCheck.of(pool).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E003");
            assertThat(m.text()).startsWith("Database misconfigured: ").contains("jdbc:nosuchdriver");
        }
    }

    @Test
    void postgresqlPortWithNothingListeningCannotConnect() {
        int port = Ports.closed();
        CheckMessage m = single(DatabaseCheck.of(postgresql("jdbc:postgresql://" + HOST + ":" + port + "/test")).run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
        assertThat(m.level()).isEqualTo(Level.ERROR);
        assertThat(m.text()).startsWith("Could not connect to database: Connection to " + HOST + ":" + port + " refused")
                .contains("08001");
    }

    @Test
    void mariadbPortWithNothingListeningCannotConnect() throws SQLException {
        int port = Ports.closed();
        CheckMessage m = single(DatabaseCheck.of(mariadb("jdbc:mariadb://" + HOST + ":" + port + "/test", "root", "")).run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
        assertThat(m.text()).contains(String.valueOf(port)).containsPattern("SQLState 08");
    }

    @Test
    void hikariPoolWhoseDatabaseIsDownCannotConnect() {
        int port = Ports.closed();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + HOST + ":" + port + "/test");
        config.setUsername("root");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            CheckMessage m = single(DatabaseCheck.of(pool).run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
            assertThat(m.text()).startsWith("Could not connect to database: " + pool.getPoolName() + " (jdbc:postgresql://")
                    .contains("refused", "08001");
        }
    }

    @Test
    void connectionBrokenOnTheServerIsNotUsable() throws SQLException {
        Services.assumePostgresql();
        PGSimpleDataSource ds = postgresql(POSTGRESQL_URL);
        try (SingleConnectionDataSource single = new SingleConnectionDataSource(ds.getConnection());
             Connection admin = ds.getConnection()) {
            DatabaseCheck check = DatabaseCheck.of(single);
            assertThat(check.run()).isEmpty();

            int pid;
            try (Statement s = single.getConnection().createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }

            CheckMessage m = single(check.run());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E002");
            assertThat(m.text()).startsWith("Database connection is not usable: ");
        }
    }

    @Test
    void closedHikariPoolIsReported() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:closed" + SUFFIX);
        config.setPoolName("closed-pool");
        HikariDataSource pool = new HikariDataSource(config);
        pool.close();
        CheckMessage m = single(DatabaseCheck.of(pool).run());
        assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E013");
        assertThat(m.level()).isEqualTo(Level.ERROR);
        assertThat(m.text()).isEqualTo("Connection pool closed-pool (jdbc:h2:mem:closed" + SUFFIX + ") is closed");
    }

    /** The ways a HikariCP pool can be told how to connect; the busy check connects the same way. */
    enum HowThePoolConnects { JDBC_URL, DATA_SOURCE, DATA_SOURCE_CLASS_NAME }

    private static HikariConfig busyPoolConfig(HowThePoolConnects how, String url) {
        HikariConfig config = new HikariConfig();
        switch (how) {
            case JDBC_URL -> {
                config.setJdbcUrl(url);
                config.setUsername("root");
            }
            case DATA_SOURCE -> config.setDataSource(postgresql(url));
            case DATA_SOURCE_CLASS_NAME -> {
                config.setDataSourceClassName(PGSimpleDataSource.class.getName());
                config.addDataSourceProperty("url", url);
                config.setUsername("root");
            }
        }
        config.setPoolName("busy-pool");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000);
        return config;
    }

    /**
     * Takes the pool's only connection, makes a second thread wait for one, does
     * {@code whileWaiting}, then gives the connection back and lets the waiter finish.
     */
    private static <T> T whileOneThreadWaits(HikariDataSource pool, Callable<T> whileWaiting) throws Exception {
        CompletableFuture<Void> waiter;
        T result;
        try (Connection held = pool.getConnection()) {
            assertThat(held.isValid(1)).isTrue();
            waiter = CompletableFuture.runAsync(() -> {
                try (Connection c = pool.getConnection()) {
                    c.isValid(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isEqualTo(1);
            result = whileWaiting.call();
        }
        waiter.get(10, TimeUnit.SECONDS);
        return result;
    }

    @ParameterizedTest
    @EnumSource(HowThePoolConnects.class)
    void threadsWaitingForAPooledConnectionWhileTheDatabaseAnswersAreAWarningWithTheCounts(HowThePoolConnects how)
            throws Exception {
        Services.assumePostgresql();
        try (HikariDataSource pool = new HikariDataSource(busyPoolConfig(how, POSTGRESQL_URL))) {
            // a pool given a jdbcUrl names it; one given a data source cannot
            String described = how == HowThePoolConnects.JDBC_URL ? "busy-pool (" + POSTGRESQL_URL + ")" : "busy-pool";

            HeartbeatRun run = whileOneThreadWaits(pool,
                    () -> HeartbeatRun.of(DatabaseCheck.NAME, DatabaseCheck.of(pool), Duration.ofSeconds(3)));

            assertThat(run.result().level()).isEqualTo(Level.WARNING);
            assertThat(run.report().passed()).isTrue();
            CheckMessage m = single(run.result().messages());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.W002");
            assertThat(m.text()).isEqualTo("1 thread waiting for a connection from pool " + described
                    + " (active 1, idle 0, total 1, waiting 1); the database answers");
            // the answer came from a connection of the check's own: the pool never grew past its one
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
            assertThat(DatabaseCheck.of(pool).run()).isEmpty();
        }
    }

    @Test
    void threadsWaitingForAPooledConnectionWhileTheDatabaseNoLongerAnswersMeanItIsDown() throws Exception {
        Services.assumePostgresql();
        try (TcpProxy proxy = TcpProxy.start(Services.POSTGRESQL_PORT)) {
            String url = "jdbc:postgresql://" + HOST + ":" + proxy.port() + "/test";
            try (HikariDataSource pool = new HikariDataSource(busyPoolConfig(HowThePoolConnects.JDBC_URL, url))) {
                DatabaseCheck check = DatabaseCheck.of(pool).withValidationTimeout(Duration.ofSeconds(1));

                HeartbeatRun run = whileOneThreadWaits(pool, () -> {
                    proxy.mode(TcpProxy.Mode.SWALLOW); // from now on nothing reaches the database
                    try {
                        return HeartbeatRun.of(check.name(), check, Duration.ofSeconds(3));
                    } finally {
                        proxy.mode(TcpProxy.Mode.FORWARD);
                    }
                });

                assertThat(run.report().passed()).isFalse();
                assertThat(run.result().outcome()).isNotEqualTo(CheckResult.Outcome.TIMED_OUT);
                CheckMessage m = single(run.result().messages());
                assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
                assertThat(m.text()).isEqualTo("Could not connect to database: busy-pool (" + url
                        + "): 1 thread is waiting for a pooled connection and a new connection got no answer within 1 s");
            }
        }
    }

    @Test
    void databaseAnsweringOneBytePerSecondIsNotConnectedRatherThanATimeout() throws Exception {
        Services.assumePostgresql();
        try (TcpProxy proxy = TcpProxy.start(Services.POSTGRESQL_PORT)) {
            DatabaseCheck check = DatabaseCheck.of(postgresql("jdbc:postgresql://" + HOST + ":" + proxy.port() + "/test"))
                    .withValidationTimeout(Duration.ofSeconds(1));
            assertHealthyWithin(check, Duration.ofSeconds(10)); // a first connection on a loaded machine may take a while

            proxy.mode(TcpProxy.Mode.SLOW);
            HeartbeatRun run = HeartbeatRun.of(check.name(), check, Duration.ofSeconds(3));

            assertThat(run.result().outcome()).isNotEqualTo(CheckResult.Outcome.TIMED_OUT);
            CheckMessage m = single(run.result().messages());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
            assertThat(m.text()).isEqualTo("Could not connect to database: the database did not answer within 1 s");
            assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(1).plus(MARGIN));

            // the abandoned attempt was interrupted and ends: a later run starts a new one
            proxy.mode(TcpProxy.Mode.FORWARD);
            assertHealthyWithin(check, Duration.ofSeconds(10));
        }
    }

    private static void assertHealthyWithin(DatabaseCheck check, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<CheckMessage> messages = check.run();
        while (!messages.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            messages = check.run();
        }
        assertThat(messages).isEmpty();
    }

    @Test
    void threadsWaitingOnAPoolThatHoldsNoConnectionMeanTheDatabaseIsDown() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + HOST + ":" + Ports.closed() + "/test");
        config.setUsername("root");
        config.setPoolName("down-pool");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000);
        config.setInitializationFailTimeout(-1); // start although the database is down, as services do
        try (HikariDataSource pool = new HikariDataSource(config)) {
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try (Connection c = pool.getConnection()) {
                    c.isValid(1);
                } catch (SQLException e) {
                    // expected once the pool gives up
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isPositive();

            HeartbeatRun run = HeartbeatRun.of(DatabaseCheck.NAME, DatabaseCheck.of(pool), Duration.ofSeconds(3));

            assertThat(run.report().passed()).isFalse();
            CheckMessage m = single(run.result().messages());
            assertThat(m.id()).as(m.text()).isEqualTo("dockerflow.health.E001");
            assertThat(m.text()).startsWith("Could not connect to database: down-pool (jdbc:postgresql://")
                    .endsWith(": the pool holds no connection and 1 thread is waiting for one");
            waiter.cancel(true);
        }
    }

    @Test
    void blackholePostgresqlStillGetsAnErrorAnswerWithinTheTimeout() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            DatabaseCheck check = DatabaseCheck.of(postgresql("jdbc:postgresql://" + HOST + ":" + blackhole.port() + "/test"));
            assertAnswersInTimeAtErrorLevel(check);
        }
    }

    @Test
    void blackholeMariadbStillGetsAnErrorAnswerWithinTheTimeout() throws Exception {
        try (BlackholeServer blackhole = BlackholeServer.start()) {
            DatabaseCheck check = DatabaseCheck.of(mariadb("jdbc:mariadb://" + HOST + ":" + blackhole.port() + "/test", "root", ""));
            assertAnswersInTimeAtErrorLevel(check);
        }
    }

    @Test
    void blackholeBehindAHikariPoolStillGetsAnErrorAnswerWithinTheTimeout() throws Exception {
        BlackholeServer blackhole = BlackholeServer.start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + HOST + ":" + blackhole.port() + "/test");
        config.setUsername("root");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        try (pool) {
            // The check waits for the pool, not the network: the heartbeat's interrupt ends that wait.
            try (blackhole) {
                assertAnswersInTimeAtErrorLevel(DatabaseCheck.of(pool));
            }
            // The blackhole closed first, so the pool's own connection attempt ends and close() is quick.
        }
    }

    private static void assertAnswersInTimeAtErrorLevel(DatabaseCheck check) throws InterruptedException {
        HeartbeatRun.of(check.name(), check, SHORT_TIMEOUT).assertTimedOutWithinAndCheckEnded(SHORT_TIMEOUT.plus(MARGIN));
    }

    @Test
    void factoriesNameTheCheckAndRejectBadArguments() {
        DataSource ds = h2("names" + SUFFIX, "sa", "");
        assertThat(DatabaseCheck.of(ds).name()).isEqualTo("check_database_connected").isEqualTo(DatabaseCheck.NAME);
        assertThat(DatabaseCheck.of(ds, "orders-db").name()).isEqualTo("orders-db");
        assertThat(DatabaseCheck.of(ds).validationTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(DatabaseCheck.of(ds).withValidationTimeout(Duration.ofMillis(1500)).validationTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(DatabaseCheck.of(ds).withValidationTimeout(Duration.ofMillis(1)).validationTimeout())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> DatabaseCheck.of(ds, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseCheck.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DatabaseCheck.of(ds).withValidationTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
