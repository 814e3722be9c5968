package dev.dockerflow.servlet;

import dev.dockerflow.test.KitServer;
import jakarta.servlet.ServletContainerInitializer;

/**
 * An embedded servlet container the tests start on a free port of {@code 127.0.0.1}, with one
 * web application at the root context, set up by the given initializers in order. Requests
 * carrying {@link dev.dockerflow.test.DockerflowConformanceKit#USER_HEADER} are authenticated
 * by the container itself (its own security plumbing), so {@code getUserPrincipal()} names
 * that user; the container's error pages show no exception text.
 *
 * <p>Each container rejects some hostile request paths itself, before any web application
 * sees them (an encoded backslash, bytes that are not UTF-8): they get its {@code 400} and
 * no summary. The conformance kit sends such paths to check what the filter logs, so unless
 * {@link UriRules#CONTAINER_DEFAULTS} is asked for, the container is told to let them through.
 */
interface ServletContainer {

    /** Which request paths reach the web application. */
    enum UriRules {
        /** The container's own defaults. */
        CONTAINER_DEFAULTS,
        /** Hostile paths too, as far as the container can be told to let them through. */
        LENIENT
    }

    /**
     * Starts the container.
     *
     * @param threads the number of threads serving requests, fixed; 0 for the container's default pool
     * @param uris which request paths reach the web application
     * @param initializers set up the web application
     * @return the running container; closing it (again) lets requests in flight finish
     * @throws Exception if it cannot start
     */
    KitServer start(int threads, UriRules uris, ServletContainerInitializer... initializers) throws Exception;

    /**
     * Starts the container, letting hostile paths through.
     *
     * @param threads the number of threads serving requests, fixed; 0 for the container's default pool
     * @param initializers set up the web application
     * @return the running container
     * @throws Exception if it cannot start
     */
    default KitServer start(int threads, ServletContainerInitializer... initializers) throws Exception {
        return start(threads, UriRules.LENIENT, initializers);
    }
}
