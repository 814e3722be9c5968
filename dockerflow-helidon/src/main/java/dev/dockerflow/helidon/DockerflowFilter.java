package dev.dockerflow.helidon;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Starts the request with the core, copies the core's answer of a Dockerflow path onto the
 * response or lets the request through, and has the summary written when the response is
 * sent. Helidon runs each request on a virtual thread, so waiting for a heartbeat's checks
 * holds no platform thread.
 */
final class DockerflowFilter implements Filter {

    private final Dockerflow dockerflow;

    DockerflowFilter(Dockerflow dockerflow) {
        this.dockerflow = dockerflow;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ActiveRequest active = dockerflow.startRequest(new HelidonRequest(req));
        Exchange exchange = Exchange.start(active, req, res);
        active.forEachResponseHeader((name, value) -> header(res, name, value));
        try {
            if (active.isDockerflowPath()) {
                send(res, active.answer());
            } else {
                Exchange outer = exchange.enterChain();
                try {
                    chain.proceed();
                } finally {
                    Exchange.leaveChain(outer);
                }
            }
        } catch (CloseConnectionException e) {
            // the connection is going away without an answer; nothing will be sent
            exchange.lost(e);
            throw e;
        } catch (RuntimeException | Error e) {
            exchange.escaped();
            throw e;
        } finally {
            active.close();
        }
    }

    private static void send(RoutingResponse res, DockerflowResponse answer) {
        res.status(Status.create(answer.status()));
        answer.forEachHeader((name, value) -> header(res, name, value));
        if (answer.bodyLength() == answer.contentLength()) {
            // one write: status line, headers and body in a single buffer with its Content-Length
            res.send(answer.body());
        } else {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(answer.contentLength()));
            res.send();
        }
    }

    /** Sets a header the core gives, with the name parsed once for the names it uses. */
    private static void header(RoutingResponse res, String name, String value) {
        res.header(HeaderValues.create(HelidonRequest.headerName(name), value));
    }
}
