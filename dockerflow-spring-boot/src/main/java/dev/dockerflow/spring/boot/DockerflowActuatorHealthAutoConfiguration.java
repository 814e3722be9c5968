package dev.dockerflow.spring.boot;

import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Opt-in ({@code dockerflow.actuator-health.enabled=true}): the application's
 * {@link HealthContributor} beans (its {@code HealthIndicator}s and composites) become
 * Dockerflow checks, named as Actuator names them ({@code dbHealthIndicator} is {@code db}).
 * See {@link HealthContributorChecks} for the levels and messages.
 */
@AutoConfiguration(before = DockerflowAutoConfiguration.class, afterName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBooleanProperty(name = DockerflowProperties.PREFIX + ".actuator-health.enabled")
public final class DockerflowActuatorHealthAutoConfiguration {

    DockerflowActuatorHealthAutoConfiguration() {
    }

    @Bean
    DockerflowBuilderCustomizer dockerflowActuatorHealthChecks(ListableBeanFactory beans, DockerflowProperties properties) {
        return builder -> {
            Map<String, HealthContributor> contributors = beans.getBeansOfType(HealthContributor.class);
            HealthContributorChecks.from(contributors, properties.getActuatorHealth())
                    .forEach(check -> builder.check(check.name(), check));
        };
    }
}
