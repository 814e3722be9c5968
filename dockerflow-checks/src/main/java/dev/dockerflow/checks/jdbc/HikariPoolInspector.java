package dev.dockerflow.checks.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
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

    private String describe() {
        String name = pool.getPoolName();
        String url = pool.getJdbcUrl();
        if (name == null) {
            return url == null ? "" : url;
        }
        return url == null ? name : name + " (" + url + ")";
    }
}
