package dev.dockerflow.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestId;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class MozlogEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    private static List<JsonNode> parse(Capture capture) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : capture.lines()) {
            assertThat(line).doesNotContain("\r").matches("\\p{ASCII}*");
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void writesEveryMozlogMemberOnOneLine() throws Exception {
        try (Capture capture = new Capture("com.acme.Orders", new MozlogEncoder())) {
            long before = nanos(Instant.now());
            capture.logger().info("order {} placed", 17);
            long after = nanos(Instant.now());

            List<JsonNode> lines = parse(capture);
            assertThat(lines).hasSize(1);
            JsonNode line = lines.get(0);
            assertThat(names(line)).containsExactly(
                    "Timestamp", "Type", "Logger", "Hostname", "EnvVersion", "Severity", "Pid", "Fields");
            assertThat(line.get("Timestamp").isIntegralNumber()).isTrue();
            assertThat(line.get("Timestamp").asLong()).isBetween(before - 1_000_000, after + 1_000_000);
            assertThat(line.get("Type").asText()).isEqualTo("com.acme.Orders");
            assertThat(line.get("Logger").asText()).isEqualTo("Dockerflow");
            assertThat(line.get("Hostname").asText()).isEqualTo(Mozlog.create("x").hostname()).isNotBlank();
            assertThat(line.get("EnvVersion").asText()).isEqualTo("2.0");
            assertThat(line.get("Severity").asInt()).isEqualTo(6);
            assertThat(line.get("Pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(names(line.get("Fields"))).containsExactly("msg");
            assertThat(line.get("Fields").get("msg").asText()).isEqualTo("order 17 placed");
        }
    }

    @Test
    void mapsLevelsToSyslogSeverities() throws Exception {
        try (Capture capture = new Capture("severities", new MozlogEncoder())) {
            capture.logger().error("e");
            capture.logger().warn("w");
            capture.logger().info("i");
            capture.logger().debug("d");
            capture.logger().trace("t");

            assertThat(parse(capture)).extracting(n -> n.get("Severity").asInt()).containsExactly(3, 4, 6, 7, 7);
        }
    }

    @Test
    void fieldNamesStayUniqueWhenPairsRepeatAndTheMdcHoldsTheRequestId() throws Exception {
        try (Capture capture = new Capture("unique", new MozlogEncoder());
             dev.dockerflow.RequestId.Scope bound = dev.dockerflow.RequestId.bind("from-request")) {
            MDC.put("rid", "from-mdc");
            capture.logger().atInfo().addKeyValue("step", 1).addKeyValue("step", 2).log("twice");
            JsonNode fields = parse(capture).get(0).get("Fields");
            assertThat(names(fields)).containsExactly("msg", "rid", "step");
            assertThat(fields.get("step").asInt()).isEqualTo(2);
            assertThat(fields.get("rid").asText()).isEqualTo("from-mdc");
            assertThat(bound).isNotNull();
        }
    }

    @Test
    void fieldsHoldMessageThenMdcThenKeyValuePairsAsScalars() throws Exception {
        try (Capture capture = new Capture("fields", new MozlogEncoder())) {
            MDC.put("tenant", "acme");
            MDC.put("region", "eu");
            MDC.put("msg", "an MDC entry cannot replace the message");
            capture.logger().atInfo()
                    .addKeyValue("region", "us")
                    .addKeyValue("items", 3)
                    .addKeyValue("ratio", 0.5)
                    .addKeyValue("paid", true)
                    .addKeyValue("when", Instant.ofEpochSecond(0))
                    .addKeyValue("nothing", (Object) null)
                    .addKeyValue("error", "a key-value pair cannot fake an exception")
                    .log("checkout done");

            JsonNode fields = parse(capture).get(0).get("Fields");
            assertThat(names(fields)).containsExactlyInAnyOrder(
                    "msg", "tenant", "region", "items", "ratio", "paid", "when", "nothing");
            assertThat(names(fields).get(0)).isEqualTo("msg");
            assertThat(fields.get("msg").asText()).isEqualTo("checkout done");
            assertThat(fields.get("tenant").asText()).isEqualTo("acme");
            assertThat(fields.get("region").asText()).isEqualTo("us");
            assertThat(fields.get("items").isInt()).isTrue();
            assertThat(fields.get("items").asInt()).isEqualTo(3);
            assertThat(fields.get("ratio").isDouble()).isTrue();
            assertThat(fields.get("ratio").asDouble()).isEqualTo(0.5);
            assertThat(fields.get("paid").isBoolean()).isTrue();
            assertThat(fields.get("paid").asBoolean()).isTrue();
            assertThat(fields.get("when").asText()).isEqualTo("1970-01-01T00:00:00Z");
            assertThat(fields.get("nothing").asText()).isEqualTo("null");
            fields.properties().forEach(e -> assertThat(e.getValue().isValueNode() && !e.getValue().isNull())
                    .as(e.getKey()).isTrue());
        }
    }

    @Test
    void stampsTheRequestIdWhileARequestRunsAndNotAfterwards() throws Exception {
        try (Capture capture = new Capture("rid", new MozlogEncoder())) {
            RequestId.Scope scope = RequestId.bind("req-1");
            try {
                capture.logger().info("in request");
                MDC.put("rid", "from-mdc");
                capture.logger().info("mdc wins");
                MDC.remove("rid");
            } finally {
                scope.close();
            }
            capture.logger().info("after request");

            List<JsonNode> lines = parse(capture);
            assertThat(lines.get(0).get("Fields").get("rid").asText()).isEqualTo("req-1");
            assertThat(lines.get(1).get("Fields").get("rid").asText()).isEqualTo("from-mdc");
            assertThat(lines.get(2).get("Fields").has("rid")).isFalse();
        }
    }

    @Test
    void hostileMessageStaysOneLineWithItsExactText() throws Exception {
        String hostile = "a\nb\r\nc \"quoted\" \\ back \u0000\u0007\u001b[31m tab\t "
                + "caf\u00e9 \u2028 \ud83d\ude00 {\"Severity\":0}";
        try (Capture capture = new Capture("hostile", new MozlogEncoder())) {
            MDC.put("evil\"key\n", "evil\nvalue");
            capture.logger().warn(hostile);

            List<String> raw = capture.lines();
            assertThat(raw).hasSize(1);
            JsonNode line = parse(capture).get(0);
            assertThat(line.get("Severity").asInt()).isEqualTo(4);
            assertThat(line.get("Fields").get("msg").asText()).isEqualTo(hostile);
            assertThat(line.get("Fields").get("evil\"key\n").asText()).isEqualTo("evil\nvalue");
        }
    }

    @Test
    void exceptionGivesErrorAndOneLineTraceback() throws Exception {
        IllegalStateException cause = new IllegalStateException("inner \"quoted\"\nsecond line");
        RuntimeException thrown = new RuntimeException("outer\r\nproblem \\ here", cause);
        try (Capture capture = new Capture("exceptions", new MozlogEncoder())) {
            capture.logger().error("payment failed for {}", "order-9", thrown);
            capture.logger().error("no message", new NullPointerException());

            List<String> raw = capture.lines();
            assertThat(raw).hasSize(2);
            List<JsonNode> lines = parse(capture);
            JsonNode fields = lines.get(0).get("Fields");
            assertThat(lines.get(0).get("Severity").asInt()).isEqualTo(3);
            assertThat(fields.get("msg").asText()).isEqualTo("payment failed for order-9");
            assertThat(fields.get("error").asText()).isEqualTo("java.lang.RuntimeException: outer\r\nproblem \\ here");
            assertThat(fields.get("traceback").asText())
                    .startsWith("java.lang.RuntimeException: outer\r\nproblem \\ here")
                    .contains("at dev.dockerflow.logback.MozlogEncoderTest.exceptionGivesErrorAndOneLineTraceback")
                    .contains("Caused by: java.lang.IllegalStateException: inner \"quoted\"\nsecond line");
            assertThat(lines.get(1).get("Fields").get("error").asText()).isEqualTo("java.lang.NullPointerException");
        }
    }

    @Test
    void loggerNameIsConfigurableFromLogbackXml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.log");
        String xml = """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>${logFile}</file>
                    <encoder class="dev.dockerflow.logback.MozlogEncoder">
                      <loggerName>my-app</loggerName>
                    </encoder>
                  </appender>
                  <root level="INFO">
                    <appender-ref ref="FILE"/>
                  </root>
                </configuration>
                """;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("logFile", file.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        try {
            context.getLogger("com.acme.Config").info("configured");
            context.getLogger("com.acme.Config").debug("below the root level");
        } finally {
            context.stop();
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("Logger").asText()).isEqualTo("my-app");
        assertThat(line.get("Type").asText()).isEqualTo("com.acme.Config");
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("configured");
    }

    @Test
    void rejectsABlankLoggerName() {
        MozlogEncoder encoder = new MozlogEncoder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encoder.setLoggerName(" "))
                .isInstanceOf(IllegalArgumentException.class);
        encoder.setLoggerName(" svc ");
        assertThat(encoder.loggerName()).isEqualTo("svc");
    }
}
