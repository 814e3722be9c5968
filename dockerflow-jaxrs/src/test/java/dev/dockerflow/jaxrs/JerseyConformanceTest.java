package dev.dockerflow.jaxrs;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestId;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitMappedException;
import dev.dockerflow.test.KitServer;
import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.net.URI;
import java.security.Principal;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The conformance kit against Jersey on Grizzly, with the feature registered the way a user registers it. */
public class JerseyConformanceTest extends DockerflowConformanceKit {

    /** Kept, so its setting lasts: the kit's unhandled exceptions are expected, and their stack traces are noise here. */
    private static final java.util.logging.Logger ADAPTER_LOG = java.util.logging.Logger.getLogger("dockerflow.jaxrs");

    static {
        ADAPTER_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @Override
    protected KitServer start(Dockerflow dockerflow) throws Exception {
        return startGrizzly(dockerflow, 64);
    }

    /** Grizzly's worker pool of platform threads (what Jersey's Grizzly server runs requests on by default), fixed at {@code threads}. */
    @Override
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) throws Exception {
        return startGrizzly(dockerflow, threads);
    }

    private static KitServer startGrizzly(Dockerflow dockerflow, int workerThreads) {
        ResourceConfig application = new ResourceConfig(KitResource.class, KitMappedExceptionMapper.class,
                KitAuthentication.class)
                .register(DockerflowFeature.create(dockerflow));
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), application, false);
        NetworkListener listener = server.getListeners().iterator().next();
        listener.setMaxHttpHeaderSize(64 * 1024);
        listener.getTransport().getWorkerThreadPoolConfig().setCorePoolSize(workerThreads).setMaxPoolSize(workerThreads);
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int port = listener.getPort();
        return new KitServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                try {
                    // graceful: requests in flight finish, and their summaries are written
                    server.shutdown(10, TimeUnit.SECONDS).get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** The application routes the kit asks for. */
    @Path("/kit")
    public static class KitResource {

        /**
         * Answers {@code ok}.
         *
         * @return {@code ok}
         */
        @GET
        @Path("ok")
        @Produces(MediaType.TEXT_PLAIN)
        public String ok() {
            return "ok";
        }

        /**
         * Throws what nothing handles.
         *
         * @return never
         */
        @GET
        @Path("unhandled")
        public String unhandled() {
            throw new IllegalStateException(UNHANDLED_MESSAGE);
        }

        /**
         * Throws what the application maps.
         *
         * @return never
         */
        @GET
        @Path("mapped")
        public String mapped() {
            throw new KitMappedException();
        }

        /**
         * Throws the framework's own HTTP exception, which no application mapper takes.
         *
         * @param status its status
         * @return never
         */
        @GET
        @Path("http-error/{status}")
        public String httpError(@PathParam("status") int status) {
            throw new WebApplicationException(FRAMEWORK_ERROR_MESSAGE, status);
        }

        /**
         * The current request ID.
         *
         * @return the ID, or {@code none}
         */
        @GET
        @Path("request-id")
        @Produces(MediaType.TEXT_PLAIN)
        public String requestId() {
            return RequestId.current().orElse("none");
        }
    }

    /** The application's own mapper for the kit's mapped exception. */
    public static class KitMappedExceptionMapper implements ExceptionMapper<KitMappedException> {
        @Override
        public Response toResponse(KitMappedException exception) {
            return Response.status(MAPPED_STATUS).entity("mapped").type(MediaType.TEXT_PLAIN).build();
        }
    }

    /** Authenticates requests that name their user in the kit's header. */
    @Priority(Priorities.AUTHENTICATION)
    public static class KitAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString(USER_HEADER);
            if (user == null || user.isEmpty()) {
                return;
            }
            Principal principal = () -> user;
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "kit";
                }
            });
        }
    }
}
