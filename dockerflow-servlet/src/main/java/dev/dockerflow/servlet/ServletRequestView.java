package dev.dockerflow.servlet;

import dev.dockerflow.RequestView;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The core's view of a servlet request. Reads the request when asked, so {@code uid} is
 * the principal the container knows by the time the summary is written.
 *
 * @param request the request as the container gave it to the filter
 * @param frameworkStatus the status of a framework's HTTP exception
 */
record ServletRequestView(HttpServletRequest request, Function<Throwable, OptionalInt> frameworkStatus) implements RequestView {

    @Override
    public String method() {
        return request.getMethod();
    }

    /** The request URI as received: not decoded, with the context path. */
    @Override
    public String rawPath() {
        return request.getRequestURI();
    }

    /** The request URI without the context path, both as received. */
    @Override
    public String routePath() {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    @Override
    public Optional<String> rawQuery() {
        return Optional.ofNullable(request.getQueryString());
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public Optional<String> principalName() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? Optional.empty() : Optional.ofNullable(principal.getName());
    }

    @Override
    public OptionalInt frameworkStatusOf(Throwable error) {
        return Objects.requireNonNullElse(frameworkStatus.apply(error), OptionalInt.empty());
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(request) ? Optional.of(type.cast(request)) : Optional.empty();
    }
}
