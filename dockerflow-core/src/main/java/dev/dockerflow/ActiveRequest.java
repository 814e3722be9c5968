package dev.dockerflow;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request in progress, from {@link Dockerflow#startRequest(RequestView)} until its
 * summary is written.
 *
 * <p>Its request ID is bound to the thread that started it, so application code reads
 * it through {@link RequestId#current()} until {@link #close()} unbinds it, which adapters
 * do when their handling of the request ends (after the summary, so code that runs after
 * the response is sent still sees the ID). The summary is
 * written at most once, by the first call to {@link #complete(int)} or
 * {@link #fail(int, Throwable)}; later calls do nothing. Thread-safe.
 */
public final class ActiveRequest implements AutoCloseable {

    private final Dockerflow dockerflow;
    private final RequestView request;
    private final String requestId;
    private final long startNanos;
    private final RequestId.Scope scope;
    private final AtomicBoolean summarized = new AtomicBoolean();

    ActiveRequest(Dockerflow dockerflow, RequestView request, String requestId, long startNanos) {
        this.dockerflow = dockerflow;
        this.request = request;
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.scope = RequestId.bind(requestId);
    }

    /**
     * The request's ID: the received one when valid, else a new one. Adapters echo it
     * in the response header named by {@link #requestIdHeaderName()}.
     *
     * @return the request ID
     */
    public String requestId() {
        return requestId;
    }

    /**
     * The header that carries the request ID in and out.
     *
     * @return the header name, {@code X-Request-ID} by default
     */
    public String requestIdHeaderName() {
        return dockerflow.config().requestIdHeaderName();
    }

    /**
     * The request as the adapter described it.
     *
     * @return the request view
     */
    public RequestView request() {
        return request;
    }

    /**
     * Writes the summary of a request that was answered, whatever its status.
     *
     * @param status the status code sent
     * @return {@code true} if this call wrote the summary, {@code false} if one was already written
     */
    public boolean complete(int status) {
        if (!summarized.compareAndSet(false, true)) {
            return false;
        }
        dockerflow.summarize(this, status, null);
        return true;
    }

    /**
     * Writes the summary of a request that raised an exception nothing handled:
     * {@code errno} 500, severity 3 and the exception's message in {@code msg}.
     *
     * @param status the status code sent, usually 500
     * @param error the exception
     * @return {@code true} if this call wrote the summary, {@code false} if one was already written
     */
    public boolean fail(int status, Throwable error) {
        Objects.requireNonNull(error, "error");
        if (!summarized.compareAndSet(false, true)) {
            return false;
        }
        dockerflow.summarize(this, status, error);
        return true;
    }

    /**
     * Whether the summary has been written.
     *
     * @return {@code true} once {@link #complete(int)} or {@link #fail(int, Throwable)} ran
     */
    public boolean isSummarized() {
        return summarized.get();
    }

    long startNanos() {
        return startNanos;
    }

    /** Unbinds the request ID from the thread that started the request; elsewhere, does nothing. */
    @Override
    public void close() {
        scope.close();
    }
}
