package dev.dockerflow.helidon;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestId;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitMappedException;
import dev.dockerflow.test.KitServer;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/** The shared conformance kit against a real Helidon 4 server on a random port. */
class HelidonConformanceTest extends DockerflowConformanceKit {

    /**
     * Helidon runs every request on a virtual thread of its own and has no worker pool to
     * size; what is fixed is the scheduler's pool of carrier threads that run virtual
     * threads. This module's tests run with that pool fixed at the kit's size (the
     * surefire configuration sets {@value #PARALLELISM} and {@value #MAX_POOL_SIZE}), so a
     * request that waits - a heartbeat waiting for its checks - parks its virtual thread
     * and leaves the carriers to other requests.
     */
    @Override
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) {
        String size = String.valueOf(threads);
        if (!size.equals(System.getProperty(PARALLELISM)) || !size.equals(System.getProperty(MAX_POOL_SIZE))) {
            throw new IllegalStateException("run this test with -D" + PARALLELISM + "=" + size + " -D" + MAX_POOL_SIZE + "="
                    + size + " (the module's surefire configuration does), not " + System.getProperty(PARALLELISM) + " and "
                    + System.getProperty(MAX_POOL_SIZE));
        }
        return start(dockerflow);
    }

    private static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";
    private static final String MAX_POOL_SIZE = "jdk.virtualThreadScheduler.maxPoolSize";

    @Override
    protected KitServer start(Dockerflow dockerflow) {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing
                        .addFeature(DockerflowFeature.create(dockerflow))
                        .addFilter(TestSecurity.authenticateFrom(USER_HEADER))
                        .get(okPath(), (req, res) -> res.send("ok"))
                        .get(unhandledExceptionPath(), (req, res) -> {
                            throw new IllegalStateException(UNHANDLED_MESSAGE);
                        })
                        .get(mappedExceptionPath(), (req, res) -> {
                            throw new KitMappedException();
                        })
                        .get("/kit/http-error/{status}", (req, res) -> {
                            int status = Integer.parseInt(req.path().pathParameters().get("status"));
                            throw new HttpException(FRAMEWORK_ERROR_MESSAGE, Status.create(status));
                        })
                        .get(requestIdPath(), (req, res) -> res.send(RequestId.current().orElse("none")))
                        .error(KitMappedException.class, (req, res, e) -> res
                                .status(Status.create(MAPPED_STATUS)).send(e.getMessage())))
                .build()
                .start();
        return new KitServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }
}
