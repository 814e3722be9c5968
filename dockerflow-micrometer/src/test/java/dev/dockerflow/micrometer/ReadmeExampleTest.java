package dev.dockerflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Dockerflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of README.md's usage section; it must compile and do what the README says. */
class ReadmeExampleTest {

    @Test
    void usage() {
        // README: usage
        MeterRegistry registry = new SimpleMeterRegistry(); // the application's registry
        Dockerflow dockerflow = Dockerflow.builder()
                .check("database", () -> List.of())
                .listener(HeartbeatMetrics.create(registry))
                .build();
        // README: end

        dockerflow.heartbeat();

        assertThat(registry.get("dockerflow.heartbeat.runs").tags("result", "passed", "level", "ok").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void bindingLater() {
        MeterRegistry registry = new SimpleMeterRegistry();
        // README: binder
        HeartbeatMetrics metrics = HeartbeatMetrics.create();
        Dockerflow dockerflow = Dockerflow.builder().listener(metrics).build();
        metrics.bindTo(registry); // e.g. when the framework hands the registry over
        // README: end

        dockerflow.heartbeat();

        assertThat(registry.get("dockerflow.heartbeat.runs").tags("result", "passed", "level", "ok").counter().count())
                .isEqualTo(1.0);
    }
}
