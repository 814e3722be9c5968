package dev.dockerflow.benchmarks.spring;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.RequestSummarySink;
import java.util.HashMap;
import java.util.List;
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
 * The Spring Boot peer: {@code /bare} (200, empty body), {@code /app} (200, short JSON) and
 * {@code /actuator/health} with 10 trivial health indicators (and no others), plus, in the
 * Dockerflow variants, the Dockerflow starter with 10 trivial checks ({@code Check} beans) on
 * {@code /__heartbeat__}. Arguments: the variant, then the port (else {@code PORT}, else 8000);
 * binds 127.0.0.1 only.
 *
 * <ul>
 *   <li>{@code bare}: the starter off ({@code dockerflow.enabled=false}), no access log;</li>
 *   <li>{@code dockerflow}: the starter, one summary line per request on stdout (its default);</li>
 *   <li>{@code dockerflow-quiet}: the starter, with a {@code RequestSummarySink} bean that
 *       discards every summary;</li>
 *   <li>{@code accesslog}: the starter off, Tomcat's access log valve on stdout with its default
 *       pattern ({@code server.tomcat.accesslog.*} as Spring Boot documents it for stdout).</li>
 * </ul>
 */
@SpringBootApplication
@RestController
public class SpringPeer {

    /** Number of trivial indicators and checks. */
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
     * Starts the application and prints {@code ready <port> spring <variant>}.
     *
     * @param args the variant, then the port, both optional
     */
    public static void main(String[] args) {
        String variant = args.length > 0 ? args[0] : "bare";
        String port = (args.length > 1 ? args[1] : System.getenv().getOrDefault("PORT", "8000")).trim();
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", port,
                "server.address", "127.0.0.1",
                // exactly the 10 indicators below: no disk-space or ping indicator
                "management.health.defaults.enabled", "false",
                "spring.main.banner-mode", "off"));
        boolean dockerflow = switch (variant) {
            case "bare" -> false;
            case "accesslog" -> {
                properties.putAll(Map.of(
                        "server.tomcat.accesslog.enabled", "true",
                        "server.tomcat.accesslog.directory", "/dev",
                        "server.tomcat.accesslog.prefix", "stdout",
                        "server.tomcat.accesslog.suffix", "",
                        "server.tomcat.accesslog.file-date-format", "",
                        "server.tomcat.accesslog.buffered", "false"));
                yield false;
            }
            case "dockerflow", "dockerflow-quiet" -> true;
            default -> throw new IllegalArgumentException(
                    "unknown variant " + variant + ": expected bare, dockerflow, dockerflow-quiet or accesslog");
        };
        properties.put("dockerflow.enabled", Boolean.toString(dockerflow));
        SpringApplication application = new SpringApplication(SpringPeer.class);
        application.setDefaultProperties(properties);
        application.addInitializers(context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context;
            for (int i = 1; i <= TRIVIAL_CHECKS; i++) {
                generic.registerBean("indicator" + i, HealthIndicator.class, () -> () -> Health.up().build());
                if (dockerflow) {
                    generic.registerBean("check" + i, Check.class, () -> List::<CheckMessage>of);
                }
            }
            if (variant.equals("dockerflow-quiet")) {
                generic.registerBean("discardSummaries", RequestSummarySink.class, () -> (summary, mozlog) -> { });
            }
        });
        application.run(args);
        System.out.println("ready " + port + " spring " + variant);
    }
}
