package dev.dockerflow.jaxrs;

import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.spi.ResponseErrorMapper;

/**
 * Answers, through Jersey, an exception that Jersey would hand to the container. Jersey
 * 4 passes an exception that no {@code ExceptionMapper} handles to the container, whose
 * own {@code 500} runs no response filter and so carries no request-ID header. With
 * Jersey's response-error processing enabled, Jersey asks this mapper first: it answers
 * what the container would have ({@code 500}, no body), and the answer goes through the
 * response filters like any other. Jersey no longer logs such an exception then, so this
 * mapper does.
 */
final class JerseyUnhandledErrors implements ResponseErrorMapper {

    private static final System.Logger LOGGER = System.getLogger("dockerflow.jaxrs");

    @Override
    public Response toResponse(Throwable error) {
        LOGGER.log(System.Logger.Level.WARNING, "Request failed with an exception that no ExceptionMapper handles", error);
        return Response.serverError().build();
    }
}
