package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitServer;
import java.util.Map;
import javax.security.auth.Subject;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.UserIdentity;
import org.eclipse.jetty.security.UserPrincipal;
import org.eclipse.jetty.security.authentication.LoginAuthenticator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The conformance kit against a Spring Boot application on its embedded Jetty 12.1. */
@ExtendWith(SpringBootJettyTest.UserStandInLimits.class)
class SpringBootJettyTest extends DockerflowConformanceKit {

    @Override
    protected KitServer start(Dockerflow dockerflow) {
        return KitBootApplication.start(dockerflow, Map.of("spring.autoconfigure.exclude",
                "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration"), JettyUsers.class);
    }

    /** Jetty's pool runs its one acceptor and one selector besides the threads that serve requests. */
    @Override
    protected KitServer startWithFixedPool(Dockerflow dockerflow, int threads) {
        return KitBootApplication.start(dockerflow, Map.of(
                "spring.autoconfigure.exclude", "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
                "server.jetty.threads.acceptors", "1",
                "server.jetty.threads.selectors", "1",
                "server.jetty.threads.max", String.valueOf(threads + 2),
                "server.jetty.threads.min", String.valueOf(threads + 2)), JettyUsers.class, NoReservedThreads.class);
    }

    /** No thread of the small pool is held back for Jetty's own reserved use; the pool is the one the properties ask for. */
    @Configuration(proxyBeanMethods = false)
    static class NoReservedThreads {
        @Bean
        WebServerFactoryCustomizer<JettyServletWebServerFactory> noReservedThreads() {
            return factory -> factory.addServerCustomizers(server -> {
                if (!(server.getThreadPool() instanceof QueuedThreadPool pool) || pool.getMaxThreads() > 8) {
                    throw new IllegalStateException("not the small fixed pool: " + server.getThreadPool());
                }
                pool.setReservedThreads(0);
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JettyUsers {
        @Bean
        WebServerFactoryCustomizer<JettyServletWebServerFactory> kitUsers() {
            return factory -> factory.addServerCustomizers(server -> {
                for (var connector : server.getConnectors()) {
                    HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                    if (http != null) {
                        http.getHttpConfiguration().setUriCompliance(UriCompliance.UNSAFE); // hostile paths reach the application
                    }
                }
                server.setHandler(new Authentication(server.getHandler()));
            });
        }
    }

    /**
     * Skips the two cases that need the kit's stand-in for an authenticated user: Boot runs the
     * application in a {@code WebAppContext}, whose own security handler replaces the
     * authentication state the stand-in sets in front of it. The filter reads the principal the
     * same way on every container; dockerflow-servlet's JettyEe11Test covers it on Jetty.
     */
    static final class UserStandInLimits implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String name = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
            if (name.equals("uidComesFromTheUserIdHookWhenSet") || name.equals("summaryOfAnApplicationRouteHasEveryField")) {
                return ConditionEvaluationResult.disabled("the kit's user stand-in does not reach Boot's Jetty WebAppContext,"
                        + " whose security handler resets the authentication state; dockerflow-servlet's JettyEe11Test covers uid on Jetty");
            }
            return ConditionEvaluationResult.enabled("");
        }
    }

    /** Jetty's own way of knowing a user: the authentication state on its request, as its authenticators set it. */
    static final class Authentication extends Handler.Wrapper {
        Authentication(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String user = request.getHeaders().get(USER_HEADER);
            if (user != null && !user.isEmpty()) {
                UserIdentity identity = UserIdentity.from(new Subject(), new UserPrincipal(user, null));
                AuthenticationState.setAuthenticationState(request, new LoginAuthenticator.UserAuthenticationSucceeded("kit", identity));
            }
            return super.handle(request, response, callback);
        }
    }
}
