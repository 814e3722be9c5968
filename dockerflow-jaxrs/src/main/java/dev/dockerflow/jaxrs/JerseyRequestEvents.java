package dev.dockerflow.jaxrs;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Jersey's request events, and where the adapter's Jersey-specific parts are registered
 * ({@link #register}). Jersey tells listeners about every request from its first moment
 * ({@code START}) to after the response is written ({@code FINISHED}), including
 * exceptions and which {@code ExceptionMapper} handled them. That is what JAX-RS alone
 * cannot say: whether an exception was handled by the application or fell through to the
 * runtime (Jersey 3.1 maps it with its own default mapper and still runs response filters;
 * Jersey 4.0 hands it to the container, see {@link JerseyUnhandledErrors}). The summary is
 * written once, at {@code FINISHED}.
 *
 * <p>Loaded only when {@link JerseyPresence} finds Jersey, so the adapter runs on other
 * runtimes without it.
 */
final class JerseyRequestEvents implements ApplicationEventListener {

    private static final String JERSEY_PACKAGE = "org.glassfish.jersey.";

    private final Dockerflow dockerflow;

    private JerseyRequestEvents(Dockerflow dockerflow) {
        this.dockerflow = dockerflow;
    }

    /**
     * Registers what the adapter does on Jersey: the filter that can suspend a heartbeat,
     * these request events, and the answer to exceptions Jersey would hand to the container
     * (unless the application configured Jersey's response-error processing itself).
     */
    static void register(FeatureContext context, Dockerflow dockerflow) {
        context.register(new JerseySuspendingFilter(dockerflow), DockerflowFilter.PRIORITY);
        context.register(new JerseyRequestEvents(dockerflow));
        if (context.getConfiguration().getProperty(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED) == null) {
            context.property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
            context.register(new JerseyUnhandledErrors());
        }
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // application life-cycle events carry nothing a request summary needs
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        ContainerRequest request = start.getContainerRequest();
        TrackedRequest tracked = new TrackedRequest(dockerflow.startRequest(new ContainerRequestView(request)), true);
        tracked.attachTo(request);
        return new Summarizer(tracked.active());
    }

    /** Follows one request; Jersey calls it from one thread at a time. */
    private static final class Summarizer implements RequestEventListener {
        private final ActiveRequest active;
        private Throwable exception;
        private ExceptionMapper<?> mapper;

        Summarizer(ActiveRequest active) {
            this.active = active;
        }

        @Override
        public void onEvent(RequestEvent event) {
            switch (event.getType()) {
                case ON_EXCEPTION -> {
                    if (exception == null && event.getExceptionCause() == RequestEvent.ExceptionCause.ORIGINAL) {
                        exception = unwrap(event.getException());
                    }
                }
                case EXCEPTION_MAPPER_FOUND -> {
                    if (mapper == null) {
                        mapper = event.getExceptionMapper();
                    }
                }
                case FINISHED -> finish(event);
                default -> {
                    // the other stages do not change the summary
                }
            }
        }

        private void finish(RequestEvent event) {
            try {
                ContainerResponse response = event.getContainerResponse();
                // a response that could not be written (the client left) still says what was decided;
                // an exception nothing handled is answered 500 by the container, whatever the response held
                boolean unhandled = unhandled();
                int status = response != null && (event.isResponseWritten() || !unhandled)
                        ? response.getStatus() : Response.Status.INTERNAL_SERVER_ERROR.getStatusCode();
                active.complete(status, unhandled ? exception : null);
            } finally {
                active.close();
            }
        }

        /**
         * An exception escaped the application unless an application mapper turned it into
         * a response; Jersey's own default mapper does not count. Whether it raised (a
         * {@code WebApplicationException} with a 4xx status did not) is the core's call.
         */
        private boolean unhandled() {
            return exception != null && (mapper == null || mapper.getClass().getName().startsWith(JERSEY_PACKAGE));
        }

        /** Jersey wraps exceptions thrown by providers; the summary names the application's own. */
        private static Throwable unwrap(Throwable thrown) {
            Throwable t = thrown;
            while (t instanceof ProcessingException && t.getCause() != null
                    && t.getClass().getName().startsWith(JERSEY_PACKAGE)) {
                t = t.getCause();
            }
            return t;
        }
    }
}
