package dev.dockerflow.jaxrs;

import dev.dockerflow.Dockerflow;
import jakarta.annotation.Priority;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import org.glassfish.jersey.server.AsyncContext;

/**
 * The filter on Jersey, whose request's {@link AsyncContext} can be suspended from a
 * pre-matching filter, not only from a resource method. A heartbeat is then answered
 * from the thread that completes its checks, and no thread of the container waits for
 * them, while the application's post-matching filters still never see the request.
 *
 * <p>Jersey runs a request's filters and then either sends the response or, when the
 * request's asynchronous context is suspended, leaves it to whoever resumes the context.
 * The request is aborted as well, so that Jersey does not route it (and answer 404)
 * meanwhile; the abort's response is never sent. A container that cannot suspend
 * (Jersey's JDK HTTP server) says so, and the request is answered on its own thread.
 */
@PreMatching
@Priority(DockerflowFilter.PRIORITY)
final class JerseySuspendingFilter extends DockerflowFilter {

    @Context
    private Provider<AsyncContext> asyncContext;

    JerseySuspendingFilter(Dockerflow dockerflow) {
        super(dockerflow);
    }

    @Override
    boolean suspend(ContainerRequestContext request, CompletionStage<Response> answer) {
        AsyncContext async;
        try {
            async = asyncContext == null ? null : asyncContext.get();
            if (async == null) {
                return false;
            }
            request.abortWith(Response.noContent().build());
            if (!async.suspend()) {
                return false;
            }
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // the container cannot suspend requests, or this request cannot be: answer it now
            return false;
        }
        answer.whenComplete((response, error) -> {
            if (error == null) {
                async.resume(response);
            } else {
                async.resume(error);
            }
        });
        return true;
    }
}
