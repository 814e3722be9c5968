package dev.dockerflow;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an adapter tells the core about an incoming request, and what summary hooks
 * can read. Adapters implement it over their framework's request. An instance belongs to
 * one request; it is read from the threads that handle that request, one at a time.
 */
public interface RequestView {

    /**
     * The HTTP method.
     *
     * @return e.g. {@code GET}
     */
    String method();

    /**
     * The path as received, not percent-decoded, without the query.
     *
     * @return e.g. {@code /items/a%20b}
     */
    String rawPath();

    /**
     * The path the application routes on, not percent-decoded: {@link #rawPath()} without
     * the application's base path when the framework mounts the application below one (a
     * servlet context path, a JAX-RS application path). The Dockerflow endpoints are found
     * on it.
     *
     * @return e.g. {@code /__heartbeat__}; {@link #rawPath()} unless overridden
     */
    default String routePath() {
        return rawPath();
    }

    /**
     * The query as received, not percent-decoded, without the {@code ?}.
     *
     * @return the query, or empty when the request has none
     */
    Optional<String> rawQuery();

    /**
     * The first value of a request header.
     *
     * @param name the header name, case-insensitive
     * @return the value, or empty when absent
     */
    Optional<String> header(String name);

    /**
     * The authenticated user's name as the framework knows it (a JAX-RS
     * {@code SecurityContext} principal, a Helidon security subject).
     *
     * @return the name, or empty when anonymous
     */
    default Optional<String> principalName() {
        return Optional.empty();
    }

    /**
     * The status a framework's own HTTP exception carries (JAX-RS
     * {@code WebApplicationException}, Helidon {@code HttpException}, Spring
     * {@code ResponseStatusException}), so the core can tell an ordinary answer (a 4xx)
     * from a raised request (contract section 7).
     *
     * @param error an exception that escaped the application
     * @return its HTTP status when it is the framework's HTTP exception, else empty
     */
    default OptionalInt frameworkStatusOf(Throwable error) {
        return OptionalInt.empty();
    }

    /**
     * The framework's own request object, for hooks that need more than this view.
     *
     * @param type the expected type, e.g. {@code jakarta.ws.rs.container.ContainerRequestContext}
     * @param <T> the type
     * @return the framework request when it is of that type
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return Optional.empty();
    }
}
