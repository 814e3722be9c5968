package dev.dockerflow.jaxrs;

import dev.dockerflow.ActiveRequest;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * A request's Dockerflow state, kept as a request property from the first moment the
 * adapter sees the request until its summary is written.
 *
 * @param active the core's request in progress
 * @param summarizedByRuntimeEvents {@code true} when the runtime's request events (Jersey)
 *        write the summary once the response is sent; {@code false} when the response filter does
 */
record TrackedRequest(ActiveRequest active, boolean summarizedByRuntimeEvents) {

    static final String PROPERTY = "dev.dockerflow.jaxrs.TrackedRequest";

    static TrackedRequest of(ContainerRequestContext request) {
        return request.getProperty(PROPERTY) instanceof TrackedRequest tracked ? tracked : null;
    }

    void attachTo(ContainerRequestContext request) {
        request.setProperty(PROPERTY, this);
    }
}
