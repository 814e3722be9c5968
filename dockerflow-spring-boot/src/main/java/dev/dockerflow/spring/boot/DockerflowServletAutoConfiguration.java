package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.servlet.DockerflowFilter;
import jakarta.servlet.DispatcherType;
import java.util.OptionalInt;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Dockerflow on a servlet web application (Spring MVC): the {@link DockerflowFilter},
 * registered first in the chain ({@link Ordered#HIGHEST_PRECEDENCE}) on {@code /*} for
 * {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatches, async-supported, and, when
 * Spring MVC is present, Spring's own HTTP exceptions told apart as the contract says
 * (a 5xx raised, a 4xx an ordinary answer).
 */
@AutoConfiguration(after = DockerflowAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DockerflowFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean(Dockerflow.class)
public final class DockerflowServletAutoConfiguration {

    /** The bean name of the filter's registration. */
    public static final String FILTER_REGISTRATION = "dockerflowFilterRegistration";

    DockerflowServletAutoConfiguration() {
    }

    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    FilterRegistrationBean<DockerflowFilter> dockerflowFilterRegistration(Dockerflow dockerflow) {
        Function<Throwable, OptionalInt> status = SpringHttpExceptions.PRESENT ? SpringHttpExceptions::status : e -> OptionalInt.empty();
        FilterRegistrationBean<DockerflowFilter> registration =
                new FilterRegistrationBean<>(DockerflowFilter.create(dockerflow).withFrameworkStatus(status));
        registration.setName(DockerflowFilter.FILTER_NAME);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Spring MVC: records the HTTP exceptions Spring answers itself for the filter. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HandlerExceptionResolver.class)
    static class SpringMvc {

        @Bean
        @ConditionalOnMissingBean
        DockerflowExceptionRecorder dockerflowExceptionRecorder() {
            return new DockerflowExceptionRecorder();
        }
    }
}
