package dev.dockerflow.servlet;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.DockerflowResponse;
import dev.dockerflow.RequestId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One request's Dockerflow state, kept as a request attribute from the filter's first
 * look until the response is done: when the first dispatch returns, or, for a request that
 * went asynchronous, when the container completes it (on whatever thread).
 */
final class Exchange implements AsyncListener {

    static final String ATTRIBUTE = Exchange.class.getName();

    private final ActiveRequest active;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private volatile Throwable thrown;

    Exchange(ActiveRequest active, HttpServletRequest request, HttpServletResponse response) {
        this.active = active;
        this.request = request;
        this.response = response;
    }

    /** A later dispatch of this request (asynchronous or error): application code runs with its ID bound. */
    void dispatch(FilterChain chain, HttpServletRequest req, HttpServletResponse res) throws IOException, ServletException {
        RequestId.Scope scope = active.bind();
        try {
            chain.doFilter(req, res);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            thrown(e);
            throw e;
        } finally {
            scope.close();
        }
    }

    /** An exception that escaped the application; the container answers it. */
    void thrown(Throwable error) {
        Throwable cause = error;
        // the container's wrapper says nothing of its own; the application's exception does
        while (cause.getClass() == ServletException.class && ((ServletException) cause).getRootCause() != null) {
            cause = ((ServletException) cause).getRootCause();
        }
        if (thrown == null) {
            thrown = cause;
        }
    }

    /** The first dispatch returned: the response is done unless the request went asynchronous. */
    void dispatchEnded() {
        if (request.isAsyncStarted()) {
            try {
                request.getAsyncContext().addListener(this);
                return;
            } catch (IllegalStateException alreadyCompleted) {
                // the container completed it already: summarize now
            }
        }
        ended();
    }

    /** Answers once {@code answer} is ready, without holding the request's thread meanwhile. */
    void answerLater(AsyncContext async, CompletableFuture<DockerflowResponse> answer) {
        async.setTimeout(0); // the core answers within the largest check timeout
        answer.whenComplete((ready, error) -> {
            try {
                if (ready != null) {
                    copy(ready, response);
                } else {
                    thrown(error);
                    response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                }
            } catch (IOException | RuntimeException clientGone) {
                // nothing more can be sent; the summary still says what was answered
            } finally {
                async.complete();
            }
        });
    }

    static void copy(DockerflowResponse answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        answer.forEachHeader(response::setHeader);
        response.setContentLength(answer.contentLength());
        if (answer.bodyLength() > 0) {
            answer.writeBody(response.getOutputStream());
        }
    }

    private void ended() {
        Throwable escaped = thrown;
        // an exception escaping the chain becomes the container's 500, unless the response was already sent
        int status = escaped == null || response.isCommitted() ? response.getStatus() : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        if (escaped == null && request.getAttribute(DockerflowFilter.EXCEPTION_ATTRIBUTE) instanceof Throwable reported) {
            escaped = reported;
        }
        active.complete(status, escaped);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ended();
    }

    @Override
    public void onError(AsyncEvent event) {
        if (event.getThrowable() != null) {
            thrown(event.getThrowable());
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // the container answers a timeout itself, then completes the request
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a later dispatch started another asynchronous cycle: follow it to its end
        event.getAsyncContext().addListener(this);
    }
}
