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
        try {
            if (active.isDockerflowPath()) {
                // the answer carries the request-ID echo among its headers
                send(res, answer(active, res));
            } else {
                echo(res, active);
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

    /** The core's answer; when there is none ({@code /__error__}), the response that Helidon makes of the exception gets the echo. */
    private static DockerflowResponse answer(ActiveRequest active, RoutingResponse res) {
        try {
            return active.answer();
        } catch (RuntimeException | Error e) {
            echo(res, active);
            throw e;
        }
    }

    /** Sets the headers every response to the request carries (the request-ID echo). */
    private static void echo(RoutingResponse res, ActiveRequest active) {
        active.forEachResponseHeader((name, value) -> header(res, name, value));
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
