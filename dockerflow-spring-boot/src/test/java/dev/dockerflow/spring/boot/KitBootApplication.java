package dev.dockerflow.spring.boot;

import dev.dockerflow.Dockerflow;
import dev.dockerflow.RequestId;
import dev.dockerflow.test.DockerflowConformanceKit;
import dev.dockerflow.test.KitMappedException;
import dev.dockerflow.test.KitServer;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The conformance kit's application as a Spring Boot application: Spring MVC routes, the
 * application's own {@code @ExceptionHandler}, Spring's {@code ResponseStatusException}, and
 * nothing of Dockerflow but the auto-configuration (given the kit's {@link Dockerflow} as a bean).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
class KitBootApplication {

    @GetMapping("/kit/ok")
    String ok() {
        return "ok";
    }

    @GetMapping("/kit/unhandled")
    String unhandled() {
        throw new IllegalStateException(DockerflowConformanceKit.UNHANDLED_MESSAGE);
    }

    @GetMapping("/kit/mapped")
    String mapped() {
        throw new KitMappedException();
    }

    @GetMapping("/kit/http-error/{status}")
    String httpError(@PathVariable("status") int status) {
        throw new ResponseStatusException(HttpStatus.valueOf(status), DockerflowConformanceKit.FRAMEWORK_ERROR_MESSAGE);
    }

    @GetMapping("/kit/request-id")
    String requestId() {
        return RequestId.current().orElse("none");
    }

    @ExceptionHandler(KitMappedException.class)
    ResponseEntity<String> mapped(KitMappedException e) {
        return ResponseEntity.status(DockerflowConformanceKit.MAPPED_STATUS).body("mapped");
    }

    /** Starts the application on a free port of 127.0.0.1 with the given Dockerflow and extra properties. */
    static KitServer start(Dockerflow dockerflow, Map<String, Object> properties, Class<?>... more) {
        Class<?>[] sources = new Class<?>[more.length + 1];
        sources[0] = KitBootApplication.class;
        System.arraycopy(more, 0, sources, 1, more.length);
        SpringApplication application = new SpringApplication(sources);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        Map<String, Object> defaults = new java.util.HashMap<>(Map.of(
                "server.port", "0",
                "server.address", "127.0.0.1",
                "server.max-http-request-header-size", "64KB",
                "server.error.include-message", "never",
                "spring.main.register-shutdown-hook", "false"));
        defaults.putAll(properties);
        application.setDefaultProperties(defaults);
        application.addInitializers(TestEnvironment.empty(), context -> {
            if (dockerflow != null) {
                context.getBeanFactory().registerSingleton("dockerflow", dockerflow);
            }
        });
        ConfigurableApplicationContext context = application.run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new KitServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                context.close();
            }
        };
    }
}
