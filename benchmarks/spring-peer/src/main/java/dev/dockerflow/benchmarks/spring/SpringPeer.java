package dev.dockerflow.benchmarks.spring;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Spring Boot peer: {@code /actuator/health} with 10 trivial health indicators
 * (and no others), {@code /bare} (200, empty body) and {@code /app} (200, short JSON).
 * Port from the first argument, else {@code PORT}, else 8000; binds 127.0.0.1 only.
 */
@SpringBootApplication
@RestController
public class SpringPeer {

    /** Number of trivial indicators. */
    static final int TRIVIAL_CHECKS = 10;

    /** Created by Spring. */
    public SpringPeer() {
    }

    /** @return 200, empty body */
    @GetMapping("/bare")
    public ResponseEntity<Void> bare() {
        return ResponseEntity.ok().build();
    }

    /** @return 200, a short JSON body */
    @GetMapping(path = "/app", produces = MediaType.APPLICATION_JSON_VALUE)
    public String app() {
        return "{\"notes\":[]}";
    }

    /**
     * Starts the application and prints {@code ready <port>}.
     *
     * @param args the port, optionally
     */
    public static void main(String[] args) {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8000");
        SpringApplication application = new SpringApplication(SpringPeer.class);
        application.setDefaultProperties(Map.of(
                "server.port", port.trim(),
                "server.address", "127.0.0.1",
                // exactly the 10 indicators below: no disk-space or ping indicator
                "management.health.defaults.enabled", "false",
                "spring.main.banner-mode", "off"));
        application.addInitializers(context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context;
            for (int i = 1; i <= TRIVIAL_CHECKS; i++) {
                generic.registerBean("check" + i, HealthIndicator.class, () -> () -> Health.up().build());
            }
        });
        application.run(args);
        System.out.println("ready " + port.trim() + " spring actuator");
    }
}
