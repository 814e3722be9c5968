package dev.dockerflow.jaxrs;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowResponse;
import dev.dockerflow.Endpoint;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Starts tracking each request before routing, answers the Dockerflow paths by aborting
 * with the core's answer, and on the way out echoes the request ID (and, when the runtime
 * gives no request events, writes the summary).
 *
 * <p>Its priority is the lowest number, so as a request filter it runs first and as a
 * response filter it runs last and sees the final status.
 */
@PreMatching
final class DockerflowFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final int PRIORITY = Integer.MIN_VALUE;

    private final Dockerflow dockerflow;

    DockerflowFilter(Dockerflow dockerflow) {
        this.dockerflow = dockerflow;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (TrackedRequest.of(request) == null) {
            new TrackedRequest(dockerflow.startRequest(new ContainerRequestView(request)), false).attachTo(request);
        }
        Optional<Endpoint> endpoint = endpointOf(request);
        if (endpoint.isPresent()) {
            request.abortWith(toResponse(dockerflow.answer(endpoint.get(), methodToAsk(endpoint.get(), request))));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        TrackedRequest tracked = TrackedRequest.of(request);
        if (tracked == null) {
            return;
        }
        response.getHeaders().putSingle(tracked.active().requestIdHeaderName(), tracked.active().requestId());
        if (!tracked.summarizedByRuntimeEvents()) {
            try {
                tracked.active().complete(response.getStatus());
            } finally {
                tracked.active().close();
            }
        }
    }

    private Optional<Endpoint> endpointOf(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        Optional<Endpoint> endpoint = Endpoint.forPath(path.startsWith("/") ? path : "/" + path);
        if (endpoint.isPresent() && endpoint.get() == Endpoint.ERROR && !dockerflow.config().errorEndpointEnabled()) {
            return Optional.empty();
        }
        return endpoint;
    }

    /**
     * A {@code HEAD} is answered with the {@code GET} answer, whose body the runtime drops
     * while keeping its {@code Content-Length}: the core's body-less {@code HEAD} answer
     * would advertise a length of 0.
     */
    private static String methodToAsk(Endpoint endpoint, ContainerRequestContext request) {
        String method = request.getMethod();
        return method.equals("HEAD") && endpoint.methods().contains("HEAD") ? "GET" : method;
    }

    static Response toResponse(DockerflowResponse answer) {
        Response.ResponseBuilder builder = Response.status(answer.status());
        answer.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                builder.type(value);
            } else {
                builder.header(name, value);
            }
        });
        if (answer.bodyLength() > 0) {
            builder.entity(answer.body());
        }
        return builder.build();
    }
}
