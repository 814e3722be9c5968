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
