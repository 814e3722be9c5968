package dev.dockerflow.examples.jaxrs;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestView;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.ServerConfiguration;

/**
 * Answers a request whose target is not a valid URI (a bad percent-encoding such as
 * {@code /notes%zz}) with {@code 400} and its summary line. Jersey's Grizzly container
 * turns the target into a {@code java.net.URI} before Jersey sees the request; the exception
 * that throws would reach Grizzly, which answers {@code 500} with a page holding the stack
 * trace, and no summary would be written. Every other request goes to Jersey unchanged.
 * Grizzly's own error pages (a request it cannot read, say) show no stack trace either.
 */
final class MalformedTargets extends HttpHandler {

    private final HttpHandler jersey;
    private final Dockerflow dockerflow;

    private MalformedTargets(HttpHandler jersey, Dockerflow dockerflow) {
        this.jersey = jersey;
        this.dockerflow = dockerflow;
    }

    /** Puts itself in front of every handler of a server that has not started yet. */
    static void install(HttpServer server, Dockerflow dockerflow) {
        ServerConfiguration config = server.getServerConfiguration();
        for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> handler : Map.copyOf(config.getHttpHandlersWithMapping()).entrySet()) {
            config.removeHttpHandler(handler.getKey());
            config.addHttpHandler(new MalformedTargets(handler.getKey(), dockerflow), handler.getValue());
        }
        config.setDefaultErrorPageGenerator((request, status, reason, description, exception) -> status + " " + reason);
    }

    @Override
    public void start() {
        jersey.start();
    }

    @Override
    public void destroy() {
        jersey.destroy();
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        try {
            jersey.service(request, response);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof URISyntaxException) || response.isCommitted()) {
                throw e;
            }
            // the container could not make a URI of the target: Jersey never saw the request
            try (ActiveRequest active = dockerflow.startRequest(new TargetView(request))) {
                active.forEachResponseHeader(response::setHeader);
                response.setStatus(400);
                response.setContentType("text/plain; charset=utf-8");
                response.getWriter().write("Bad request target\n");
                active.complete(400, null);
            }
        }
    }

    /** The request as Grizzly read it. */
    private record TargetView(Request request) implements RequestView {
        @Override
        public String method() {
            return request.getMethod().getMethodString();
        }

        @Override
        public String rawPath() {
            return request.getRequestURI();
        }

        @Override
        public Optional<String> rawQuery() {
            return Optional.ofNullable(request.getQueryString());
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(request.getHeader(name));
        }
    }
}
