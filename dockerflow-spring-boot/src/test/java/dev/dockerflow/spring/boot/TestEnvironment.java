package dev.dockerflow.spring.boot;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Replaces the process environment of a test context with given variables, in the property
 * source Spring Boot reads environment variables from (so relaxed binding applies to them as
 * to real ones), and keeps a developer's shell out of the tests.
 */
final class TestEnvironment {

    private TestEnvironment() {
    }

    static ApplicationContextInitializer<ConfigurableApplicationContext> empty() {
        return of(Map.of());
    }

    static ApplicationContextInitializer<ConfigurableApplicationContext> of(Map<String, Object> variables) {
        return context -> {
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            SystemEnvironmentPropertySource replacement =
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(variables));
            if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
                sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, replacement);
            } else {
                sources.addLast(replacement);
            }
        };
    }
}
