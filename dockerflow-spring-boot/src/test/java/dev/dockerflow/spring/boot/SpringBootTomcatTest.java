package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The conformance kit against a Spring Boot application on its embedded Tomcat. */
@ExtendWith(SpringBootTomcatTest.TomcatKnownLimits.class)
class SpringBootTomcatTest extends DockerflowConformanceKit {

    @Override
    protected KitServer start(Dockerflow dockerflow) {
        return KitBootApplication.start(dockerflow, Map.of(
                "spring.autoconfigure.exclude", "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
                "server.tomcat.uri-encoding", "ISO-8859-1"), TomcatUsers.class);
    }

    @Override
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) {
        return KitBootApplication.start(dockerflow, Map.of(
                "spring.autoconfigure.exclude", "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
                "server.tomcat.uri-encoding", "ISO-8859-1",
                "server.tomcat.threads.max", String.valueOf(threads),
                "server.tomcat.threads.min-spare", String.valueOf(threads)), TomcatUsers.class, FixedPool.class);
    }

    /** Makes sure the connector got the small pool the properties ask for. */
    @Configuration(proxyBeanMethods = false)
    static class FixedPool {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> fixedPool() {
            return factory -> factory.addConnectorCustomizers(connector -> {
                if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) || protocol.getMaxThreads() > 8) {
                    throw new IllegalStateException("not the small fixed pool: " + connector.getProtocolHandler());
                }
            });
        }
    }

    /** Tomcat's own way of knowing a user: the principal on its request, as its authenticators set it. */
    @Configuration(proxyBeanMethods = false)
    static class TomcatUsers {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> kitUsers() {
            return factory -> {
                // hostile paths reach the application, as far as Tomcat can be told
                factory.addConnectorCustomizers(connector -> connector.setEncodedReverseSolidusHandling("passthrough"));
                factory.addContextValves(new ValveBase(true) {
                @Override
                public void invoke(Request request, Response response) throws IOException, ServletException {
                    String user = request.getHeader(USER_HEADER);
                    if (user != null && !user.isEmpty()) {
                        request.setUserPrincipal(new GenericPrincipal(user, List.of()));
                    }
                    getNext().invoke(request, response);
                }
                });
            };
        }
    }

    /** The case Tomcat's HTTP parser decides before any application code runs (as in dockerflow-servlet's TomcatTest). */
    static final class TomcatKnownLimits implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().map(m -> m.getName().equals("invalidUtf8InThePathKeepsTheSummaryValid")).orElse(false)) {
                return ConditionEvaluationResult.disabled("Tomcat's HTTP parser answers 400 to raw non-ASCII bytes in the request"
                        + " line before any web application sees the request; dockerflow-servlet's TomcatTest shows it");
            }
            return ConditionEvaluationResult.enabled("");
        }
    }
}
