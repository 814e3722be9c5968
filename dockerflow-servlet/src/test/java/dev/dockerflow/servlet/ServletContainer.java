package dev.dockerflow.servlet;

import dev.dockerflow.Dockerflow;
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
 * no summary. The conformance kit sends such paths to check what the filter logs, so the
 * container is told to let them through, as far as it can be.
 */
interface ServletContainer {

    /** The error page location {@link Options#errorPages()} sets up. */
    String ERROR_PAGE = "/kit/error-page";

    /** The status {@link Options#errorPages()} gives an error page. */
    int ERROR_PAGE_STATUS = 418;

    /**
     * How to set the container up.
     *
     * @param threads the number of threads serving requests, fixed; 0 for the container's default pool
     * @param errorPages {@code true} to add the error pages a {@code web.xml} would declare:
     *        {@link #ERROR_PAGE} for {@link #ERROR_PAGE_STATUS} and for {@link IllegalArgumentException}
     * @param drain the Dockerflow whose shutdown drain the container's own stop runs before its
     *        connectors stop, and which it closes once stopped, as the module README wires it; null for none
     */
    record Options(int threads, boolean errorPages, Dockerflow drain) {
        static Options defaults() {
            return new Options(0, false, null);
        }

        Options threads(int count) {
            return new Options(count, errorPages, drain);
        }

        Options withErrorPages() {
            return new Options(threads, true, drain);
        }

        Options withShutdownDrain(Dockerflow dockerflow) {
            return new Options(threads, errorPages, dockerflow);
        }
    }

    /**
     * Starts the container.
     *
     * @param options how to set it up
     * @param initializers set up the web application
     * @return the running container; closing it (again) lets requests in flight finish
     * @throws Exception if it cannot start
     */
    KitServer start(Options options, ServletContainerInitializer... initializers) throws Exception;

    /**
     * Starts the container with the default options but the number of threads.
     *
     * @param threads the number of threads serving requests, fixed; 0 for the container's default pool
     * @param initializers set up the web application
     * @return the running container
     * @throws Exception if it cannot start
     */
    default KitServer start(int threads, ServletContainerInitializer... initializers) throws Exception {
        return start(Options.defaults().threads(threads), initializers);
    }
}
