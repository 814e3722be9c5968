package dev.dockerflow.checks.jdbc;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads a HikariCP pool's state; loaded only when HikariCP is on the classpath. */
final class HikariPoolInspector implements PoolInspector {

    private final HikariDataSource pool;

    private HikariPoolInspector(HikariDataSource pool) {
        this.pool = pool;
    }

    static Optional<PoolInspector> of(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari) {
            return Optional.of(new HikariPoolInspector(hikari));
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return Optional.of(new HikariPoolInspector(dataSource.unwrap(HikariDataSource.class)));
            }
        } catch (SQLException | RuntimeException e) {
            // A wrapper that cannot say what it wraps is checked as a plain data source.
        }
        return Optional.empty();
    }

    @Override
    public PoolState state() {
        String description = describe();
        if (pool.isClosed()) {
            return new PoolState(description, true, 0, 0, 0, 0);
        }
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            // Not started yet: the first connection starts it.
            return new PoolState(description, false, 0, 0, 0, 0);
        }
        return new PoolState(description, false, bean.getActiveConnections(), bean.getIdleConnections(),
                bean.getTotalConnections(), bean.getThreadsAwaitingConnection());
    }

    /**
     * Connects as the pool does, with the data source the pool itself connects through: the
     * one given to the pool, the pool's instance of its {@code dataSourceClassName}, or its
     * driver wrapper for a {@code jdbcUrl}; with the pool's user and password.
     */
    @Override
    public Optional<DirectConnector> direct() {
        Optional<DataSource> underlying = underlying();
        if (underlying.isEmpty()) {
            return Optional.empty();
        }
        DataSource target = underlying.get();
        return Optional.of(() -> {
            Login login = login();
            return login.user() == null ? target.getConnection() : target.getConnection(login.user(), login.password());
        });
    }

    private Optional<DataSource> underlying() {
        DataSource given = pool.getDataSource();
        if (given != null) {
            return Optional.of(given);
        }
        try {
            Class<?> type;
            if (pool.getDataSourceClassName() != null) {
                type = Class.forName(pool.getDataSourceClassName(), false, HikariPoolInspector.class.getClassLoader());
            } else if (pool.getJdbcUrl() != null) {
                type = DriverDataSource.class;
            } else {
                return Optional.empty();
            }
            // The pool unwraps to the data source it connects through; before it starts it has none.
            return pool.isWrapperFor(type) && pool.unwrap(type) instanceof DataSource ds && ds != pool
                    ? Optional.of(ds) : Optional.empty();
        } catch (ClassNotFoundException | LinkageError | SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** User and password as the pool connects with them; a credentials provider wins, as in the pool. */
    private Login login() {
        try {
            HikariCredentialsProvider provider = pool.getCredentialsProvider();
            if (provider != null) {
                Credentials c = provider.getCredentials();
                if (c != null) {
                    return new Login(c.getUsername(), c.getPassword());
                }
            }
        } catch (LinkageError olderHikari) {
            // HikariCP before 7 has no credentials provider: user and password are all there is.
        }
        return new Login(pool.getUsername(), pool.getPassword());
    }

    private record Login(String user, String password) {
    }

    private String describe() {
        String name = pool.getPoolName();
        String url = pool.getJdbcUrl();
        if (name == null) {
            return url == null ? "" : url;
        }
        return url == null ? name : name + " (" + url + ")";
    }
}
