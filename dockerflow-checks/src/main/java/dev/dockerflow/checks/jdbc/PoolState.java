package dev.dockerflow.checks.jdbc;

/**
 * A snapshot of a connection pool.
 *
 * @param description how messages name the pool (e.g. {@code HikariPool-1 (jdbc:postgresql://db/app)}),
 *                    empty when unknown
 * @param closed whether the pool was closed
 * @param active connections in use
 * @param idle connections ready to be borrowed
 * @param total all connections of the pool
 * @param waiting threads waiting for a connection
 */
record PoolState(String description, boolean closed, int active, int idle, int total, int waiting) {

    /** A pool this module cannot look into. */
    static final PoolState UNKNOWN = new PoolState("", false, 0, 0, 0, 0);
}
