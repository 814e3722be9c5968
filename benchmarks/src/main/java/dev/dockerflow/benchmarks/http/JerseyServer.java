package dev.dockerflow.benchmarks.http;

import dev.dockerflow.jaxrs.DockerflowFeature;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * A Jersey on Grizzly benchmark server. Arguments: variant ({@link Variant}; the
 * {@code observe-*} ones are Helidon's) and port; or {@code BENCH_VARIANT} and
 * {@code PORT}. Binds 127.0.0.1 only.
 */
public final class JerseyServer {

    private JerseyServer() {
    }

    /** The routes every variant serves. */
    @Path("/")
    public static final class Routes {

        /** Created by Jersey. */
        public Routes() {
        }

        /** @return 200, empty body */
        @GET
        @Path("bare")
        public Response bare() {
            return Response.ok().build();
        }

        /** @return 200, a short JSON body */
        @GET
        @Path("app")
        @Produces(MediaType.APPLICATION_JSON)
        public String app() {
            return Variant.APP_BODY;
        }

        /** @return the storm check's counters */
        @GET
        @Path("bench/stats")
        @Produces(MediaType.TEXT_PLAIN)
        public String stats() {
            return Variant.stats();
        }
    }

    /**
     * Starts the server and prints {@code ready <port>} once it listens.
     *
     * @param args variant and port
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Variant variant = Variant.of(args);
        if (variant == Variant.OBSERVE_HEALTH || variant == Variant.OBSERVE_HEALTH_DETAILS) {
            throw new IllegalArgumentException(variant + " is a Helidon variant");
        }
        ResourceConfig application = new ResourceConfig().register(Routes.class);
        if (variant.dockerflow()) {
            application.register(DockerflowFeature.create(variant.buildDockerflow()));
        }
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(
                URI.create("http://127.0.0.1:" + Variant.port(args) + "/"), application, false);
        server.start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::shutdownNow));
        System.out.println("ready " + server.getListeners().iterator().next().getPort() + " jersey " + variant);
    }
}
