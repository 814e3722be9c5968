package dev.dockerflow.examples.jaxrs;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** Prometheus scrape at {@code /metrics}. */
@Path("/metrics")
public class MetricsResource {

    private final PrometheusMeterRegistry registry;

    MetricsResource(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The scrape.
     *
     * @return Prometheus text format
     */
    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        return registry.scrape();
    }
}
