package dev.dockerflow.helidon;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowResponse;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the request (ID, timing), answers Dockerflow paths, lets everything else
 * through, and has the summary written when the response is sent.
 */
final class DockerflowFilter implements Filter {

    private final Dockerflow dockerflow;
    private final HeaderName requestIdHeader;

    DockerflowFilter(Dockerflow dockerflow) {
        this.dockerflow = dockerflow;
        this.requestIdHeader = HeaderNames.create(dockerflow.config().requestIdHeaderName());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HelidonRequest view = new HelidonRequest(req);
        ActiveRequest active = dockerflow.startRequest(view);
        Exchange exchange = Exchange.start(active, req, res);
        res.header(requestIdHeader, active.requestId());
        try {
            Optional<DockerflowResponse> answer = dockerflow.handle(view.method(), view.rawPath());
            if (answer.isPresent()) {
                send(res, answer.get());
            } else {
                chain.proceed();
            }
        } catch (CloseConnectionException e) {
            // the connection is going away without an answer; nothing will be sent
            exchange.lost(e);
            throw e;
        } finally {
            active.close();
        }
    }

    private static void send(RoutingResponse res, DockerflowResponse answer) {
        res.status(Status.create(answer.status()));
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            res.header(header.getKey(), header.getValue());
        }
        if (answer.bodyLength() == answer.contentLength()) {
            // one write: status line, headers and body in a single buffer with its Content-Length
            res.send(answer.body());
        } else {
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(answer.contentLength()));
            res.send();
        }
    }
}
