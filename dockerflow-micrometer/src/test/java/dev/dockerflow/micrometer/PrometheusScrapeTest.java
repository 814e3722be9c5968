package dev.dockerflow.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    /** The checks' log lines of the real heartbeats here are expected; they stay out of the build output. */
    private static final java.util.logging.Logger CHECKS_LOG = java.util.logging.Logger.getLogger("dockerflow.checks.registry");
    private java.util.logging.Level previousChecksLevel;

    @org.junit.jupiter.api.BeforeEach
    void silenceCheckLog() {
        previousChecksLevel = CHECKS_LOG.getLevel();
        CHECKS_LOG.setLevel(java.util.logging.Level.OFF);
    }

    @org.junit.jupiter.api.AfterEach
    void restoreCheckLog() {
        CHECKS_LOG.setLevel(previousChecksLevel);
    }

    @Test
    void scrapeHoldsTheHeartbeatSeries() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Dockerflow dockerflow = Dockerflow.builder()
                .check("database", List::of)
                .check("redis", () -> List.of(CheckMessage.error("dockerflow.health.E004", "Could not connect")))
                .check("slow", Duration.ofMillis(20), () -> {
                    Thread.sleep(5_000); // a backend that does not answer
                    return List.of();
                })
                .listener(HeartbeatMetrics.create(prometheus))
                .build();

        dockerflow.heartbeat();
        dockerflow.heartbeat();
        String scrape = prometheus.scrape();

        assertThat(scrape)
                .contains("# TYPE dockerflow_heartbeat_runs_total counter")
                .contains("dockerflow_heartbeat_runs_total{level=\"error\",result=\"failed\"} 2")
                .contains("dockerflow_heartbeat_runs_total{level=\"ok\",result=\"passed\"} 0")
                .contains("dockerflow_heartbeat_duration_seconds_count{result=\"failed\"} 2")
                .contains("dockerflow_heartbeat_level 40")
                .contains("dockerflow_check_duration_seconds_count{check=\"database\",outcome=\"completed\"} 2")
                .contains("dockerflow_check_duration_seconds_count{check=\"redis\",outcome=\"completed\"} 2")
                .contains("dockerflow_check_duration_seconds_count{check=\"slow\",outcome=\"timed_out\"} 2")
                .contains("dockerflow_check_duration_seconds_sum{check=\"slow\",outcome=\"timed_out\"} 0.04")
                .contains("dockerflow_check_cached_total{check=\"database\"} 0")
                .contains("dockerflow_check_level{check=\"database\"} 0")
                .contains("dockerflow_check_level{check=\"redis\"} 40")
                .contains("dockerflow_check_level{check=\"slow\"} 40");
    }
}
