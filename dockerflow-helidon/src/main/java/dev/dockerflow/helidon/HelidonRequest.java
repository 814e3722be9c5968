package dev.dockerflow.helidon;

import dev.dockerflow.RequestView;
import io.helidon.common.context.Context;
import io.helidon.common.security.SecurityContext;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.ServerRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.Principal;
import java.util.Optional;
import java.util.OptionalInt;

/** A Helidon request as the core sees it. */
final class HelidonRequest implements RequestView {

    private final ServerRequest request;

    HelidonRequest(ServerRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.prologue().method().text();
    }

    @Override
    public String rawPath() {
        return request.prologue().uriPath().rawPath();
    }

    @Override
    public Optional<String> rawQuery() {
        String raw = request.prologue().query().rawValue();
        return raw == null || raw.isEmpty() ? Optional.empty() : Optional.of(raw);
    }

    @Override
    public Optional<String> header(String name) {
        return request.headers().first(headerName(name));
    }

    private static final java.util.Map<String, HeaderName> NAMES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final HeaderName REQUEST_ID = HeaderNames.create(dev.dockerflow.RequestId.DEFAULT_HEADER);
    /** The names the core asks for on every request, as it spells them (string literals are the same instance everywhere). */
    private static final String USER_AGENT = "User-Agent";
    private static final String ACCEPT_LANGUAGE = "Accept-Language";

    /**
     * The few names the core asks for and answers with, parsed once: the usual ones are
     * constants, found by identity first (the core passes the same string instances every
     * time) and else by name; others are looked up.
     */
    @SuppressWarnings("StringEquality") // identity first, on purpose: the core passes its constants
    static HeaderName headerName(String name) {
        if (name == USER_AGENT) {
            return HeaderNames.USER_AGENT;
        }
        if (name == ACCEPT_LANGUAGE) {
            return HeaderNames.ACCEPT_LANGUAGE;
        }
        if (name == dev.dockerflow.RequestId.DEFAULT_HEADER) {
            return REQUEST_ID;
        }
        switch (name) {
            case "User-Agent" -> {
                return HeaderNames.USER_AGENT;
            }
            case "Accept-Language" -> {
                return HeaderNames.ACCEPT_LANGUAGE;
            }
            case "X-Request-ID" -> {
                return REQUEST_ID;
            }
            case "Cache-Control" -> {
                return HeaderNames.CACHE_CONTROL;
            }
            case "Content-Type" -> {
                return HeaderNames.CONTENT_TYPE;
            }
            default -> {
                HeaderName known = NAMES.get(name);
                if (known != null) {
                    return known;
                }
                HeaderName created = HeaderNames.create(name);
                if (NAMES.size() < 64) {
                    NAMES.putIfAbsent(name, created);
                }
                return created;
            }
        }
    }

    /**
     * Helidon's HTTP/1 request makes its context on first use, and that costs a request
     * more than everything else this adapter does. A request whose context was never made
     * holds no security context, so the field is read first; where it cannot be read (the
     * class or field changed, or Helidon's packages are not open to this one, as on the
     * module path) the context is asked, as for every other kind of request.
     */
    private static final Class<?> HTTP1_REQUEST;
    private static final VarHandle HTTP1_CONTEXT;

    static {
        Class<?> type = null;
        VarHandle field = null;
        try {
            type = Class.forName("io.helidon.webserver.http1.Http1ServerRequest", false,
                    ServerRequest.class.getClassLoader());
            field = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                    .findVarHandle(type, "context", Context.class);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            type = null;
            field = null;
        }
        HTTP1_REQUEST = type;
        HTTP1_CONTEXT = field;
    }

    /** Whether the request's context may hold something: {@code false} only when it was never made. */
    private boolean mayHaveContext() {
        return HTTP1_CONTEXT == null || !HTTP1_REQUEST.isInstance(request) || HTTP1_CONTEXT.get(request) != null;
    }

    /** The user principal of a security context in the request context, as Helidon security registers it. */
    @Override
    public Optional<String> principalName() {
        if (!mayHaveContext()) {
            return Optional.empty();
        }
        Optional<?> context = request.context().get(SecurityContext.class);
        if (context.isPresent() && context.get() instanceof SecurityContext<?> security) {
            Optional<? extends Principal> user = security.userPrincipal();
            return user.map(Principal::getName);
        }
        return Optional.empty();
    }

    @Override
    public OptionalInt frameworkStatusOf(Throwable error) {
        return error instanceof HttpException http ? OptionalInt.of(http.status().code()) : OptionalInt.empty();
    }

    @Override
    public <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(request) ? Optional.of(type.cast(request)) : Optional.empty();
    }
}
