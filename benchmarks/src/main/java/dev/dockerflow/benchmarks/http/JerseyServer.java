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
import org.glassfish.grizzly.http.server.accesslog.AccessLogProbe;
import org.glassfish.grizzly.http.server.accesslog.ApacheLogFormat;
import org.glassfish.grizzly.http.server.accesslog.QueueingAppender;
import org.glassfish.grizzly.http.server.accesslog.StreamAppender;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * A Jersey on Grizzly benchmark server. Arguments: variant ({@link Variant}; the
 * {@code observe-*} ones are Helidon's) and port; or {@code BENCH_VARIANT} and
 * {@code PORT}. Binds 127.0.0.1 only.
 *
 * <p>Every variant runs the same configuration: Grizzly's defaults, except that each
 * request runs on its own virtual thread ({@code jersey.config.threads.use.virtual}), as
 * a service whose requests block (a database, a heartbeat waiting for its checks) is
 * deployed on Java 21 and later.
 *
 * <p>Why: Grizzly hands each parsed request to a worker pool of 2 threads per CPU the JVM
 * sees, so 2 threads when pinned to one CPU. That pool is the fastest for routes that never
 * block (about 35,000 req/s on {@code /bare} once warm, against about 23,000 on virtual
 * threads), but each waiting request holds one of its 2 threads: under the storm only about
 * 360 heartbeats are answered in 10 s, and checks that time out after 3 s would stall every
 * route that long. A platform pool of 64 is no faster than virtual threads here, with a worse
 * p99 and a slower warm-up. TCP_NODELAY is already on, the keep-alive limit (256 requests per
 * connection) made no measurable difference, and nothing is logged per request.
 *
 * <p>The earlier {@code /bare} figure (about 5,600 req/s, p99 13 ms) was JIT warm-up, not
 * configuration: on one CPU the C2 compiler thread only gets its share of the CPU beside the
 * request threads, and Jersey's request path takes 15 to 20 s of load to compile; a cold
 * server answers about 5,000 req/s in its first 10 s with either thread model.
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
     * Starts the server, prints {@code ready <port>} once it listens and serves until
     * the JVM is stopped.
     *
     * @param args variant and port
     * @throws IOException if the port cannot be bound
     * @throws InterruptedException if the main thread is interrupted while serving
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Variant variant = Variant.of(args);
        if (variant == Variant.OBSERVE_HEALTH || variant == Variant.OBSERVE_HEALTH_DETAILS) {
            throw new IllegalArgumentException(variant + " is a Helidon variant");
        }
        ResourceConfig application = new ResourceConfig().register(Routes.class)
                .property(CommonProperties.USE_VIRTUAL_THREADS, true);
        if (variant.dockerflow()) {
            application.register(DockerflowFeature.create(variant.buildDockerflow()));
        }
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(
                URI.create("http://127.0.0.1:" + Variant.port(args) + "/"), application, false);
        if (variant == Variant.ACCESSLOG) {
            // what AccessLogBuilder sets up by default (common format, lines queued to a writer
            // thread), writing to stdout instead of a file
            server.getServerConfiguration().getMonitoringConfig().getWebServerConfig().addProbes(
                    new AccessLogProbe(new QueueingAppender(new StreamAppender(System.out)), ApacheLogFormat.COMMON));
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::shutdownNow));
        System.out.println("ready " + server.getListeners().iterator().next().getPort() + " jersey " + variant);
        // Grizzly's selector threads and the virtual request threads are daemons: keep the JVM up
        Thread.currentThread().join();
    }
}
