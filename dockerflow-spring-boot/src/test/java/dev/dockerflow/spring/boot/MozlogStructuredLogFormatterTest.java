package dev.dockerflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.RequestId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Boot's structured console logging with {@link MozlogStructuredLogFormatter}: the lines the
 * application logs through SLF4J come out as mozlog JSON, with the request ID when one is bound.
 */
@ExtendWith(OutputCaptureExtension.class)
class MozlogStructuredLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger("kit.orders");

    @Test
    void applicationLogLinesAreMozlogWithTheBoundRequestId(CapturedOutput output) throws Exception {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        application.setDefaultProperties(Map.of(
                "logging.structured.format.console", MozlogStructuredLogFormatter.class.getName(),
                "dockerflow.logger-name", "notes-service",
                "spring.main.register-shutdown-hook", "false"));
        application.addInitializers(TestEnvironment.empty());
        ConfigurableApplicationContext context = application.run();
        try {
            RequestId.Scope scope = RequestId.bind("kit-rid-1");
            try {
                LOG.warn("order {} placed", 42);
            } finally {
                scope.close();
            }
            LOG.info("no request here");
        } finally {
            context.close();
        }
        List<JsonNode> lines = output.getOut().lines().filter(line -> line.contains("kit.orders") || line.contains("no request here"))
                .map(MozlogStructuredLogFormatterTest::parse).toList();
        assertThat(lines).hasSize(2);
        JsonNode placed = lines.get(0);
        assertThat(placed.get("Logger").asText()).isEqualTo("notes-service");
        assertThat(placed.get("Type").asText()).isEqualTo("kit.orders");
        assertThat(placed.get("Severity").asInt()).isEqualTo(4);
        assertThat(placed.get("EnvVersion").asText()).isEqualTo("2.0");
        assertThat(placed.get("Pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(placed.get("Timestamp").asLong()).isPositive();
        assertThat(placed.has("Hostname")).isTrue();
        assertThat(placed.at("/Fields/msg").asText()).isEqualTo("order 42 placed");
        assertThat(placed.at("/Fields/rid").asText()).isEqualTo("kit-rid-1");
        JsonNode outside = lines.get(1);
        assertThat(outside.get("Severity").asInt()).isEqualTo(6);
        assertThat(outside.at("/Fields/msg").asText()).isEqualTo("no request here");
        assertThat(outside.at("/Fields").has("rid")).as("no request ID outside a request").isFalse();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    @SpringBootConfiguration
    static class Empty {
    }
}
