package dev.dockerflow.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Why the adapter does not answer {@code /__heartbeat__} from a resource method, the way
 * JAX-RS itself lets a request be suspended: a feature can register a resource, and a
 * pre-matching filter can route the heartbeat to it, where {@code @Suspended} works; but
 * every global post-matching filter of the application (authentication) then runs before
 * it, and nothing in JAX-RS or Jersey exempts one resource from them. The adapter instead
 * suspends the request from its pre-matching filter (on Jersey), so the application's
 * filters never run; see {@link AsyncHeartbeatTest}.
 */
class RoutedResourceTest {

    private HttpServer server;

    /** A heartbeat answered by a suspended resource method. */
    @Path("/routed-heartbeat")
    public static class RoutedHeartbeat {
        /**
         * Answers later, from another thread.
         *
         * @param async the suspended response
         */
        @GET
        public void heartbeat(@Suspended AsyncResponse async) {
            Thread.ofVirtual().start(() -> async.resume(Response.ok("answered later").build()));
        }
    }

    /** Sends {@code /__heartbeat__} to the resource. */
    @PreMatching
    @Priority(1)
    public static class Router implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getUriInfo().getPath().equals("__heartbeat__")) {
                request.setRequestUri(request.getUriInfo().getBaseUri().resolve("routed-heartbeat"));
            }
        }
    }

    /** Registers the resource and its router, as a Dockerflow feature would. */
    public static class RoutingFeature implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            context.register(RoutedHeartbeat.class);
            context.register(new Router());
            return true;
        }
    }

    /** An application's authentication: rejects every request that carries no credentials. */
    @Priority(Priorities.AUTHENTICATION)
    public static class RejectingAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("Authorization") == null) {
                request.abortWith(Response.status(Response.Status.UNAUTHORIZED).build());
            }
        }
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void aRoutedResourceCanSuspendButTheApplicationsAuthenticationRunsFirst() throws Exception {
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
                new ResourceConfig(RejectingAuthentication.class).register(new RoutingFeature()));
        int port = server.getListeners().iterator().next().getPort();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder heartbeat = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/__heartbeat__"));

        HttpResponse<String> withCredentials = http.send(heartbeat.copy().header("Authorization", "Bearer x").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withCredentials.statusCode()).isEqualTo(200);
        assertThat(withCredentials.body()).isEqualTo("answered later");

        HttpResponse<String> probe = http.send(heartbeat.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).as("a load balancer's probe, rejected by the application's authentication")
                .isEqualTo(401);
    }
}
