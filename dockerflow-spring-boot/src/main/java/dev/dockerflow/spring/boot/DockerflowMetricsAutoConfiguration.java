package dev.dockerflow.spring.boot;

import dev.dockerflow.micrometer.HeartbeatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Heartbeat metrics ({@link HeartbeatMetrics}) in every {@link MeterRegistry} of the
 * application, when Micrometer and {@code dockerflow-micrometer} are on the class path and
 * the application has a registry. The metrics are a {@code HeartbeatListener} bean, so the
 * {@code Dockerflow} hears every run, and a {@code MeterBinder} (binding the same registry
 * twice counts once).
 */
@AutoConfiguration(before = DockerflowAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, HeartbeatMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = DockerflowProperties.PREFIX + ".enabled", matchIfMissing = true)
public final class DockerflowMetricsAutoConfiguration {

    DockerflowMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    HeartbeatMetrics dockerflowHeartbeatMetrics(ObjectProvider<MeterRegistry> registries) {
        HeartbeatMetrics metrics = HeartbeatMetrics.create();
        registries.orderedStream().forEach(metrics::bindTo);
        return metrics;
    }
}
