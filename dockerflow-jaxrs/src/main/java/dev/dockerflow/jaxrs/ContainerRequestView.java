package dev.dockerflow.jaxrs;

import dev.dockerflow.RequestView;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The core's view of a JAX-RS request. Reads the request lazily, so the principal is the
 * one an authentication filter set by the time the summary is written, or by the time the
 * response filters ran ({@link #keepPrincipal()}), whichever comes first.
 */
final class ContainerRequestView implements RequestView {

    private final ContainerRequestContext request;
    /** The principal's name as read by {@link #keepPrincipal()}; null until then. */
    private volatile Optional<String> keptPrincipal;

    ContainerRequestView(ContainerRequestContext request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        String path = requestUri().getRawPath();
        return path == null ? "" : path;
    }

    @Override
    public String routePath() {
        String path = request.getUriInfo().getPath(false);
        return path.startsWith("/") ? path : "/" + path;
    }

    @Override
    public Optional<String> rawQuery() {
        return Optional.ofNullable(requestUri().getRawQuery());
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = request.getHeaders().get(name);
        if (values == null || values.isEmpty()) {
            return Optional.ofNullable(request.getHeaderString(name));
        }
        return Optional.ofNullable(values.get(0));
    }

    @Override
    public Optional<String> principalName() {
        Optional<String> kept = keptPrincipal;
        return kept != null ? kept : readPrincipal();
    }

    /**
     * Reads the principal now and answers it from then on: once the response is sent, a
     * container may recycle what its security context reads (Grizzly does, before Jersey
     * ends a request that was suspended), while the summary is written after that.
     */
    void keepPrincipal() {
        try {
            keptPrincipal = readPrincipal();
        } catch (RuntimeException e) {
            // not now, then: it is read again for the summary, where a failure is reported
        }
    }

    private Optional<String> readPrincipal() {
        SecurityContext security = request.getSecurityContext();
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null ? Optional.empty() : Optional.ofNullable(principal.getName());
    }

    @Override
    public OptionalInt frameworkStatusOf(Throwable error) {
        return error instanceof WebApplicationException web && web.getResponse() != null
                ? OptionalInt.of(web.getResponse().getStatus()) : OptionalInt.empty();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(request) ? Optional.of(type.cast(request)) : Optional.empty();
    }

    private URI requestUri() {
        return request.getUriInfo().getRequestUri();
    }
}
