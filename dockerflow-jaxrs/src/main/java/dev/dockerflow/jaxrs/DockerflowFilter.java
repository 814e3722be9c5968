package dev.dockerflow.jaxrs;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowResponse;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Starts tracking each request before routing, answers the Dockerflow paths by aborting
 * with the core's answer, and on the way out adds the core's response headers (and, when
 * the runtime gives no request events, writes the summary).
 *
 * <p>Its priority is the lowest number, so as a request filter it runs first and as a
 * response filter it runs last and sees the final status. Aborting here keeps the
 * application's own filters (authentication, say) away from the Dockerflow paths.
 *
 * <p>An answer that waits for checks is sent without holding the request's thread when
 * the runtime can suspend a request from a filter ({@link #suspend}); JAX-RS alone
 * cannot, so this class answers on the request's thread.
 */
@PreMatching
@Priority(DockerflowFilter.PRIORITY)
class DockerflowFilter implements ContainerRequestFilter, ContainerResponseFilter {

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
        ActiveRequest active = tracked.active();
        if (!active.isDockerflowPath()) {
            return;
        }
        if (!active.answerMayWait()) {
            request.abortWith(toResponse(active.answer()));
            return;
        }
        CompletableFuture<DockerflowResponse> answer = active.answerAsync();
        if (!answer.isDone() && suspend(request, answer.thenApply(DockerflowFilter::toResponse))) {
            // this thread is done with the request: the answer goes out from the thread that completes it
            active.close();
            return;
        }
        request.abortWith(toResponse(answer.join()));
    }

    /**
     * Suspends the request until {@code answer} completes, then sends it, so that no thread
     * of the runtime waits meanwhile. JAX-RS offers this to resource methods only, so here it
     * never succeeds; a runtime-specific subclass overrides it.
     *
     * @param request the request, still in its pre-matching filters
     * @param answer the answer to come; never completes exceptionally
     * @return {@code true} if the request is suspended and {@code answer} will be sent;
     *         {@code false} if the caller must answer the request itself
     */
    boolean suspend(ContainerRequestContext request, CompletionStage<Response> answer) {
        return false;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        TrackedRequest tracked = TrackedRequest.of(request);
        if (tracked == null) {
            return;
        }
        tracked.active().forEachResponseHeader(response.getHeaders()::putSingle);
        if (tracked.active().request() instanceof ContainerRequestView view) {
            // every request filter and the resource have run: the principal is final
            view.keepPrincipal();
        }
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
