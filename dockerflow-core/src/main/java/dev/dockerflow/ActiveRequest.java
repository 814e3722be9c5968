package dev.dockerflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * One request, from the moment an adapter sees it ({@link Dockerflow#startRequest(RequestView)})
 * until its summary is written: everything an adapter needs from the core, so it decides
 * nothing itself.
 *
 * <ol>
 *   <li>{@link #forEachResponseHeader} gives the headers every response carries (the
 *       request-ID echo); set them on whatever response the request gets.</li>
 *   <li>When {@link #isDockerflowPath()}, the core answers: copy {@link #answer()} (or,
 *       when {@link #answerMayWait()} and the framework can suspend a request,
 *       {@link #answerAsync()}) onto the response. Otherwise the application handles
 *       the request.</li>
 *   <li>Once the response is sent, call {@link #complete(int, Throwable)} with the status
 *       sent and the exception that escaped the application, if any. The summary is written
 *       once, by the first call.</li>
 *   <li>{@link #close()} unbinds the request ID from the thread that started the request.</li>
 * </ol>
 *
 * <p>A request that has not been completed when its {@link Dockerflow} closes (the server
 * gave up on it at shutdown) is summarized then, as cut off; completing it afterwards
 * writes nothing more.
 *
 * <p>The request ID is bound to the starting thread, so application code reads it through
 * {@link RequestId#current()} until {@link #close()}; adapters that move a request to
 * other threads bind it there with {@link #bind()}. Thread-safe.
 */
public final class ActiveRequest implements AutoCloseable {

    private final RequestView request;
    private final String requestId;
    private final String requestIdHeader;
    private final long startNanos;
    private final Endpoints endpoints;
    private final RequestSummaries summaries;
    private final Endpoint endpoint;
    /** The thread that started the request, where its ID is bound until {@link #close()}. */
    private final Thread owner;
    /** 0, then 1 once the summary is being written; set through {@link #SUMMARIZED}. */
    private volatile int summarized;
    private final InFlightRequests inFlight;
    private final InFlightRequests.Entry tracked;
    /** Set once the summary has been handed to the sink, whoever wrote it. */
    private volatile boolean written;

    ActiveRequest(RequestView request, String requestId, String requestIdHeader, long startNanos,
            Endpoints endpoints, RequestSummaries summaries, InFlightRequests inFlight) {
        this.request = request;
        this.requestId = requestId;
        this.requestIdHeader = requestIdHeader;
        this.startNanos = startNanos;
        this.endpoints = endpoints;
        this.summaries = summaries;
        this.endpoint = endpoints.route(request.routePath());
        this.inFlight = inFlight;
        this.tracked = inFlight.add(this);
        this.owner = Thread.currentThread();
        RequestId.set(requestId);
    }

    private static final VarHandle SUMMARIZED;

    static {
        try {
            SUMMARIZED = MethodHandles.lookup().findVarHandle(ActiveRequest.class, "summarized", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Claims the writing of the summary: {@code true} for the first caller only. */
    private boolean claimSummary() {
        return SUMMARIZED.compareAndSet(this, 0, 1);
    }

    /**
     * The request's ID: the received one when valid, else a new one.
     *
     * @return the request ID
     */
    public String requestId() {
        return requestId;
    }

    /**
     * Hands the headers that every response to this request carries (the request-ID
     * echo) to {@code action}. {@link #answer()} already includes them.
     *
     * @param action receives each header's name and value
     */
    public void forEachResponseHeader(BiConsumer<String, String> action) {
        Objects.requireNonNull(action, "action").accept(requestIdHeader, requestId);
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
     * Whether the core answers this request itself: its route path is a Dockerflow
     * endpoint ({@code /__error__} only when enabled).
     *
     * @return {@code true} for a Dockerflow path, whatever its method
     */
    public boolean isDockerflowPath() {
        return endpoint != null;
    }

    /**
     * Whether {@link #answer()} would wait for checks to run ({@code /__heartbeat__}).
     * An adapter whose framework can suspend a request then uses {@link #answerAsync()},
     * so no server thread waits for the checks.
     *
     * @return {@code true} when the answer waits for checks
     */
    public boolean answerMayWait() {
        return endpoint != null && Endpoints.mayWait(endpoint, request.method());
    }

    /**
     * The whole answer to a Dockerflow path (status, every header, body,
     * {@code Content-Length}; {@code HEAD} without body), on the calling thread. For
     * {@code /__heartbeat__} this runs the checks and waits for them (at most the largest
     * check timeout plus a small margin).
     *
     * @return the answer
     * @throws IllegalStateException if this is not a Dockerflow path
     * @throws ErrorEndpointException for {@code GET /__error__}: let it escape to the
     *         framework, which answers {@code 500}, and pass it to {@link #complete(int, Throwable)}
     */
    public DockerflowResponse answer() {
        if (answerMayWait()) {
            return answerAsync().join();
        }
        return withEcho(endpoints.answerNow(endpointOrThrow(), request.method()));
    }

    /**
     * The answer to a Dockerflow path without holding the calling thread while checks run:
     * completed at once for every endpoint but {@code /__heartbeat__}, whose future completes
     * on a library thread when its checks are done or timed out. Never completes
     * exceptionally, except with {@link ErrorEndpointException} for {@code GET /__error__}.
     *
     * @return the answer to come
     * @throws IllegalStateException if this is not a Dockerflow path
     */
    public CompletableFuture<DockerflowResponse> answerAsync() {
        Endpoint e = endpointOrThrow();
        if (Endpoints.mayWait(e, request.method())) {
            return endpoints.heartbeatAnswer(request.method()).thenApply(this::withEcho);
        }
        try {
            return CompletableFuture.completedFuture(withEcho(endpoints.answerNow(e, request.method())));
        } catch (ErrorEndpointException error) {
            return CompletableFuture.failedFuture(error);
        }
    }

    private Endpoint endpointOrThrow() {
        if (endpoint == null) {
            throw new IllegalStateException(request.routePath() + " is not a Dockerflow path; the application answers it");
        }
        return endpoint;
    }

    private DockerflowResponse withEcho(DockerflowResponse response) {
        return response.withHeader(requestIdHeader, requestId);
    }

    /**
     * Tells the core how the request ended, and writes its summary: the first call
     * writes it, later calls do nothing. The core decides whether the request raised
     * ({@code errno} 500, severity 3, {@code msg}): an exception that escaped, unless
     * it is the framework's own HTTP exception with a status below 500
     * ({@link RequestView#frameworkStatusOf(Throwable)}).
     *
     * @param status the status code sent to the client
     * @param escaped the exception that no application handler turned into a response,
     *        or {@code null} when none did
     * @return {@code true} if this call wrote the summary
     */
    public boolean complete(int status, Throwable escaped) {
        if (!claimSummary()) {
            return false;
        }
        try {
            summaries.write(request, requestId, startNanos, status, RequestSummaries.raised(request, escaped));
        } finally {
            summaryWritten();
        }
        return true;
    }

    /**
     * Summarizes the request as cut off: the server stopped before it was completed.
     *
     * @return {@code false} when it was already being summarized
     */
    boolean cut() {
        if (!claimSummary()) {
            return false;
        }
        try {
            summaries.writeCut(request, requestId, startNanos);
        } finally {
            summaryWritten();
        }
        return true;
    }

    private void summaryWritten() {
        written = true;
        inFlight.remove(tracked);
    }

    /**
     * Waits until the summary another thread is writing has been handed to the sink, or
     * until the deadline, so that closing does not return while a line is half-way out.
     */
    void awaitWritten(long deadlineNanos) {
        while (!written && deadlineNanos - System.nanoTime() > 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    long startNanos() {
        return startNanos;
    }

    /**
     * Whether the summary has been written.
     *
     * @return {@code true} once {@link #complete(int, Throwable)} ran
     */
    public boolean isCompleted() {
        return summarized != 0;
    }

    /**
     * Binds this request's ID to the calling thread, for adapters that continue a request
     * on another thread (an asynchronous dispatch); close the scope when that thread is done.
     *
     * @return the scope to close
     */
    public RequestId.Scope bind() {
        return RequestId.bind(requestId);
    }

    /** Unbinds the request ID from the thread that started the request; elsewhere, does nothing. */
    @Override
    public void close() {
        if (Thread.currentThread() == owner) {
            RequestId.clear();
        }
    }
}
