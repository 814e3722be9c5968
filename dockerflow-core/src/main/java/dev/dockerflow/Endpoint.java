package dev.dockerflow;

import java.util.Optional;
import java.util.Set;

/** The Dockerflow endpoints, their paths and the methods each answers. Immutable and thread-safe. */
enum Endpoint {
    /** {@code /__lbheartbeat__}: the load balancer's probe; touches nothing. */
    LBHEARTBEAT("/__lbheartbeat__", Set.of("GET", "HEAD"), "GET, HEAD"),
    /** {@code /__version__}: the service's {@code version.json}. */
    VERSION("/__version__", Set.of("GET", "HEAD"), "GET, HEAD"),
    /** {@code /__heartbeat__}: runs the checks. */
    HEARTBEAT("/__heartbeat__", Set.of("GET", "HEAD"), "GET, HEAD"),
    /** {@code /__error__}: raises an error on purpose, when enabled. */
    ERROR("/__error__", Set.of("GET"), "GET");

    /** Every endpoint, made once: {@code values()} copies its array on each call. */
    private static final Endpoint[] ALL = values();

    private final String path;
    private final Set<String> methods;
    private final String allow;

    Endpoint(String path, Set<String> methods, String allow) {
        this.path = path;
        this.methods = methods;
        this.allow = allow;
    }

    /**
     * The path, e.g. {@code /__heartbeat__}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * The methods this endpoint answers; any other gets {@code 405}.
     *
     * @return the method names
     */
    public Set<String> methods() {
        return methods;
    }

    /**
     * The value of the {@code Allow} header of a {@code 405} answer.
     *
     * @return e.g. {@code GET, HEAD}
     */
    public String allowHeader() {
        return allow;
    }

    /**
     * The endpoint at a request path.
     *
     * @param path the request path, without query
     * @return the endpoint, or empty for any other path
     */
    public static Optional<Endpoint> forPath(String path) {
        if (path == null || path.length() < 9 || !path.startsWith("/__")) {
            return Optional.empty();
        }
        for (Endpoint e : ALL) {
            if (e.path.equals(path)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
