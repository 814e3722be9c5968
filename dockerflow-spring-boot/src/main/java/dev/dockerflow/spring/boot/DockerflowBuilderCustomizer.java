package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;

/**
 * Adjusts the {@link Dockerflow} the auto-configuration builds, after it has added the
 * configuration, the checks, listeners, version provider and summary sink found in the
 * application context: add a check with its own timeout or cache, a summary hook, a
 * {@code userId} function. Every bean of this type is applied, in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * DockerflowBuilderCustomizer slowUpstream(UpstreamClient client) {
 *     return builder -> builder.check("upstream", Duration.ofSeconds(10), client::check);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface DockerflowBuilderCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the builder, with everything the context provides already added
     */
    void customize(Dockerflow.Builder builder);
}
