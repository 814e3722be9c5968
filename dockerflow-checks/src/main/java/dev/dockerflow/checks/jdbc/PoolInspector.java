package dev.dockerflow.checks.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the state of the pool behind a data source, when the pool is one this module
 * knows. HikariCP is optional: its classes are touched only once it is known to be on the
 * classpath, so a plain data source works without it.
 */
@FunctionalInterface
interface PoolInspector {

    /** For data sources whose pool is unknown: never closed, nobody waiting. */
    PoolInspector NONE = () -> PoolState.UNKNOWN;

    /**
     * The pool's state now.
     *
     * @return the state
     */
    PoolState state();

    /**
     * A way to open a connection of one's own to the pool's database with the pool's
     * settings, past the pool and its queue: for learning whether the database answers
     * while every pooled connection is taken.
     *
     * @return the connector, empty when the pool does not say how it connects
     */
    default Optional<DirectConnector> direct() {
        return Optional.empty();
    }

    /** Opens one connection to the database behind a pool, not through the pool; the caller closes it. */
    @FunctionalInterface
    interface DirectConnector {

        /**
         * Opens a connection.
         *
         * @return a new physical connection
         * @throws SQLException if none can be made
         */
        Connection open() throws SQLException;
    }

    /**
     * The inspector for {@code dataSource}'s pool.
     *
     * @param dataSource a data source
     * @return an inspector, {@link #NONE} for an unknown pool
     */
    static PoolInspector of(DataSource dataSource) {
        if (HikariSupport.PRESENT) {
            return HikariSupport.inspector(dataSource);
        }
        return NONE;
    }

    /** Whether HikariCP can be loaded, decided once without loading any of its classes eagerly. */
    final class HikariSupport {
        static final boolean PRESENT = present();

        private HikariSupport() {
        }

        private static boolean present() {
            try {
                Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolInspector.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static PoolInspector inspector(DataSource dataSource) {
            return HikariPoolInspector.of(dataSource).orElse(NONE);
        }
    }
}
