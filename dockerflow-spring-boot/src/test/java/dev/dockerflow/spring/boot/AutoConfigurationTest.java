package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.HeartbeatReport;
import dev.dockerflow.RequestSummary;
import dev.dockerflow.RequestSummarySink;
import dev.dockerflow.servlet.DockerflowFilter;
import jakarta.servlet.DispatcherType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** The Dockerflow bean, the filter's registration and their conditions. */
class AutoConfigurationTest {

    static final AutoConfigurations DOCKERFLOW = AutoConfigurations.of(DockerflowAutoConfiguration.class,
            DockerflowServletAutoConfiguration.class, DockerflowChecksAutoConfiguration.class,
            DockerflowMetricsAutoConfiguration.class, DockerflowActuatorHealthAutoConfiguration.class);

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withInitializer(TestEnvironment.empty()).withConfiguration(DOCKERFLOW);

    private final ApplicationContextRunner plain = new ApplicationContextRunner()
            .withInitializer(TestEnvironment.empty()).withConfiguration(DOCKERFLOW);

    @Test
    void aWebApplicationGetsADockerflowAndItsFilterFirstInTheChain() {
        web.run(context -> {
            assertThat(context).hasSingleBean(Dockerflow.class).hasSingleBean(DockerflowShutdownDrain.class);
            @SuppressWarnings("unchecked")
            FilterRegistrationBean<DockerflowFilter> registration =
                    context.getBean(DockerflowServletAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
            assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
            assertThat(registration.isAsyncSupported()).isTrue();
            assertThat(registration.determineDispatcherTypes())
                    .containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.getFilter()).isInstanceOf(DockerflowFilter.class);
            assertThat(context).hasSingleBean(DockerflowExceptionRecorder.class);
        });
    }

    @Test
    void withoutSpringMvcThereIsNoExceptionRecorderButStillTheFilter() {
        web.withClassLoader(new FilteredClassLoader(HandlerExceptionResolver.class)).run(context -> {
            assertThat(context).doesNotHaveBean(DockerflowExceptionRecorder.class);
            assertThat(context).hasBean(DockerflowServletAutoConfiguration.FILTER_REGISTRATION);
        });
    }

    @Test
    void anApplicationThatIsNotAWebApplicationGetsTheDockerflowButNoFilter() {
        plain.run(context -> {
            assertThat(context).hasSingleBean(Dockerflow.class);
            assertThat(context).doesNotHaveBean(DockerflowServletAutoConfiguration.FILTER_REGISTRATION);
        });
    }

    @Test
    void dockerflowEnabledFalseTurnsEverythingOff() {
        web.withPropertyValues("dockerflow.enabled=false").withUserConfiguration(OneCheck.class).run(context -> {
            assertThat(context).doesNotHaveBean(Dockerflow.class);
            assertThat(context).doesNotHaveBean(DockerflowServletAutoConfiguration.FILTER_REGISTRATION);
        });
    }

    @Test
    void theApplicationsOwnDockerflowIsUsedAndTheFilterServesIt() {
        Dockerflow own = Dockerflow.builder().config(DockerflowConfig.defaults()).build();
        web.withBean(Dockerflow.class, () -> own).run(context -> {
            assertThat(context.getBean(Dockerflow.class)).isSameAs(own);
            assertThat(context).hasBean(DockerflowServletAutoConfiguration.FILTER_REGISTRATION);
        });
        own.close();
    }

    @Test
    void everyCheckBeanIsRegisteredUnderItsBeanNameInOrder() {
        web.withUserConfiguration(OneCheck.class).run(context -> {
            HeartbeatReport report = context.getBean(Dockerflow.class).heartbeat();
            assertThat(report.results()).extracting(r -> r.name()).containsExactly("inventory", "payments");
            assertThat(report.results().get(1).messages()).extracting(CheckMessage::id).containsExactly("acme.payments.W001");
        });
    }

    @Test
    void customizersRunAfterTheContextsChecks() {
        web.withUserConfiguration(OneCheck.class)
                .withBean(DockerflowBuilderCustomizer.class, () -> builder -> builder.check("added", List::of))
                .run(context -> assertThat(context.getBean(Dockerflow.class).heartbeat().results())
                        .extracting(r -> r.name()).containsExactly("inventory", "payments", "added"));
    }

    @Test
    void theDockerflowIsClosedWithTheContext() {
        AtomicBoolean closed = new AtomicBoolean();
        RequestSummarySink sink = new RequestSummarySink() {
            @Override
            public void write(RequestSummary summary, dev.dockerflow.Mozlog mozlog) {
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        web.withBean(RequestSummarySink.class, () -> sink).run(context -> assertThat(closed).isFalse());
        assertThat(closed).as("the Dockerflow closed its summary sink as the context closed").isTrue();
    }

    @Test
    void theShutdownDrainTurnsTheLoadBalancerHeartbeatTo503WhenTheContextStops() {
        web.run(context -> {
            Dockerflow dockerflow = context.getBean(Dockerflow.class);
            assertThat(dockerflow.isDraining()).isFalse();
            DockerflowShutdownDrain drain = context.getBean(DockerflowShutdownDrain.class);
            assertThat(drain.isRunning()).isTrue();
            assertThat(drain.getPhase()).isGreaterThan(org.springframework.boot.web.server.context.WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
            context.stop();
            assertThat(dockerflow.isDraining()).isTrue();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OneCheck {
        @Bean
        Check inventory() {
            return List::of;
        }

        @Bean
        Check payments() {
            return () -> List.of(CheckMessage.warning("acme.payments.W001", "slow"));
        }
    }
}
