package dev.dockerflow.test;

/**
 * A server an adapter test started for the conformance kit, listening on
 * {@code 127.0.0.1}. The kit closes it after each test.
 */
public interface KitServer extends AutoCloseable {

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    int port();

    /**
     * Stops the server gracefully: returns once every request in flight has finished, so
     * its summary has been written. The kit relies on this to tell that no request is
     * summarized twice.
     */
    @Override
    void close();
}
