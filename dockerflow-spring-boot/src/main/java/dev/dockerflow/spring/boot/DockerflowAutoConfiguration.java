package dev.dockerflow.spring.boot;

import dev.dockerflow.Check;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.HeartbeatListener;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.VersionProvider;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application's {@link Dockerflow}: configured from the {@code dockerflow.*} properties
 * (and so from the contract's environment variables), with every {@link Check} bean registered
 * under its bean name, every {@link HeartbeatListener} bean, the {@link VersionProvider} and
 * {@link RequestSummarySink} beans when the application has one, then every
 * {@link DockerflowBuilderCustomizer}. An application that defines its own {@code Dockerflow}
 * bean gets it used instead. The bean is closed with the context, after the web server stopped.
 *
 * <p>A {@link DockerflowShutdownDrain} runs the contract's shutdown drain before the web
 * server stops taking requests.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = DockerflowProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(DockerflowProperties.class)
public final class DockerflowAutoConfiguration {

    DockerflowAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    Dockerflow dockerflow(DockerflowProperties properties, Environment environment, ListableBeanFactory beans,
            ObjectProvider<HeartbeatListener> listeners, ObjectProvider<VersionProvider> versionProvider,
            ObjectProvider<RequestSummarySink> summarySink, ObjectProvider<DockerflowBuilderCustomizer> customizers) {
        Dockerflow.Builder builder = Dockerflow.builder().config(ConfigSource.builder(properties, environment).build());
        for (Map.Entry<String, Check> check : beans.getBeansOfType(Check.class).entrySet()) {
            builder.check(check.getKey(), check.getValue());
        }
        listeners.orderedStream().forEach(builder::listener);
        versionProvider.ifUnique(builder::versionProvider);
        summarySink.ifUnique(builder::summarySink);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    DockerflowShutdownDrain dockerflowShutdownDrain(Dockerflow dockerflow) {
        return new DockerflowShutdownDrain(dockerflow);
    }
}
