package dev.dockerflow.jaxrs;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Starts tracking each request before routing, answers the Dockerflow paths by aborting
 * with the core's answer, and on the way out adds the core's response headers (and, when
 * the runtime gives no request events, writes the summary).
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
        TrackedRequest tracked = TrackedRequest.of(request);
        if (tracked == null) {
            tracked = new TrackedRequest(dockerflow.startRequest(new ContainerRequestView(request)), false);
            tracked.attachTo(request);
        }
        if (tracked.active().isDockerflowPath()) {
            request.abortWith(toResponse(tracked.active().answer()));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        TrackedRequest tracked = TrackedRequest.of(request);
        if (tracked == null) {
            return;
        }
        tracked.active().forEachResponseHeader(response.getHeaders()::putSingle);
        if (!tracked.summarizedByRuntimeEvents()) {
            try {
                tracked.active().complete(response.getStatus(), null);
            } finally {
                tracked.active().close();
            }
        }
    }

    static Response toResponse(DockerflowResponse answer) {
        Response.ResponseBuilder builder = Response.status(answer.status());
        answer.forEachHeader((name, value) -> {
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                builder.type(value);
            } else {
                builder.header(name, value);
            }
        });
        if (answer.bodyLength() > 0) {
            builder.entity(answer.body());
        } else if (answer.contentLength() > 0) {
            // a HEAD answer: declare the GET body's length
            builder.header(HttpHeaders.CONTENT_LENGTH, answer.contentLength());
        }
        return builder.build();
    }
}
