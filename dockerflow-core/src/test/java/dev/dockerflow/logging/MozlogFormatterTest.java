package dev.dockerflow.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.Mozlog;
import dev.dockerflow.RequestId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class MozlogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MozlogFormatter formatter = MozlogFormatter.of(Mozlog.create("my-app", "web-1", 4242));

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("com.acme.Orders");
        r.setInstant(Instant.ofEpochSecond(1_764_000_000L, 123_456_789));
        r.setParameters(params);
        return r;
    }

    private static JsonNode parse(String line) throws IOException {
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        return JSON.readTree(line);
    }

    @Test
    void writesEveryMozlogMember() throws IOException {
        JsonNode line = parse(formatter.format(record(Level.INFO, "order {0} placed", 17)));

        assertThat(line.get("Timestamp").asLong()).isEqualTo(1_764_000_000_123_456_789L);
        assertThat(line.get("Type").asText()).isEqualTo("com.acme.Orders");
        assertThat(line.get("Logger").asText()).isEqualTo("my-app");
        assertThat(line.get("Hostname").asText()).isEqualTo("web-1");
        assertThat(line.get("EnvVersion").asText()).isEqualTo("2.0");
        assertThat(line.get("Severity").asInt()).isEqualTo(6);
        assertThat(line.get("Pid").asLong()).isEqualTo(4242);
        assertThat(line.get("Fields").properties()).hasSize(1);
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("order 17 placed");
        assertThat(iterable(line.fieldNames())).containsExactly(
                "Timestamp", "Type", "Logger", "Hostname", "EnvVersion", "Severity", "Pid", "Fields");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }

    @Test
    void mapsLevelsToSyslogSeverities() throws IOException {
        assertThat(parse(formatter.format(record(Level.SEVERE, "x"))).get("Severity").asInt()).isEqualTo(3);
        assertThat(parse(formatter.format(record(Level.WARNING, "x"))).get("Severity").asInt()).isEqualTo(4);
        assertThat(parse(formatter.format(record(Level.INFO, "x"))).get("Severity").asInt()).isEqualTo(6);
        assertThat(parse(formatter.format(record(Level.CONFIG, "x"))).get("Severity").asInt()).isEqualTo(7);
        assertThat(parse(formatter.format(record(Level.FINE, "x"))).get("Severity").asInt()).isEqualTo(7);
        assertThat(parse(formatter.format(record(Level.FINEST, "x"))).get("Severity").asInt()).isEqualTo(7);
    }

    @Test
    void stampsTheCurrentRequestIdAndNothingAfterTheRequest() throws IOException {
        RequestId.Scope scope = RequestId.bind("req-42");
        JsonNode during;
        try {
            during = parse(formatter.format(record(Level.INFO, "in request")));
        } finally {
            scope.close();
        }
        JsonNode after = parse(formatter.format(record(Level.INFO, "after request")));

        assertThat(during.get("Fields").get("rid").asText()).isEqualTo("req-42");
        assertThat(after.get("Fields").has("rid")).isFalse();
    }

    @Test
    void hostileMessageStaysOneLineOfJsonWithTheSameText() throws IOException {
        String hostile = "line1\nline2\r\"quoted\" back\\slash \u0000\u001f tab\t caf\u00e9 \ud83d\ude00 lone\ud800";
        JsonNode line = parse(formatter.format(record(Level.WARNING, hostile)));

        assertThat(line.get("Fields").get("msg").asText())
                .isEqualTo(hostile.replace("\ud800", "\ufffd"));
    }

    @Test
    void exceptionGivesErrorAndTraceback() throws IOException {
        IllegalStateException cause = new IllegalStateException("inner \"cause\"\nsecond line");
        RuntimeException thrown = new RuntimeException("outer\nproblem", cause);
        LogRecord r = record(Level.SEVERE, "it broke");
        r.setThrown(thrown);

        String text = formatter.format(r);
        JsonNode fields = parse(text).get("Fields");

        assertThat(fields.get("msg").asText()).isEqualTo("it broke");
        assertThat(fields.get("error").asText()).isEqualTo("java.lang.RuntimeException: outer\nproblem");
        String traceback = fields.get("traceback").asText();
        assertThat(traceback)
                .startsWith("java.lang.RuntimeException: outer\nproblem")
                .contains("\tat dev.dockerflow.logging.MozlogFormatterTest.exceptionGivesErrorAndTraceback")
                .contains("Caused by: java.lang.IllegalStateException: inner \"cause\"\nsecond line");
    }

    @Test
    void exceptionWithoutMessageNamesItsClass() throws IOException {
        LogRecord r = record(Level.SEVERE, "npe");
        r.setThrown(new NullPointerException());

        assertThat(parse(formatter.format(r)).get("Fields").get("error").asText())
                .isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void readsItsLoggerNameFromLoggingProperties() throws IOException {
        LogManager manager = LogManager.getLogManager();
        String config = MozlogFormatter.LOGGER_NAME_PROPERTY + " = from-properties\n";
        try {
            manager.readConfiguration(new ByteArrayInputStream(config.getBytes(StandardCharsets.ISO_8859_1)));
            MozlogFormatter configured = new MozlogFormatter();

            assertThat(configured.loggerName()).isEqualTo("from-properties");
            assertThat(parse(configured.format(record(Level.INFO, "x"))).get("Logger").asText())
                    .isEqualTo("from-properties");
        } finally {
            manager.readConfiguration();
        }
    }

    @Test
    void defaultsToTheDockerflowLoggerName() {
        // the build runs tests without DOCKERFLOW_LOGGER_NAME
        if (System.getenv("DOCKERFLOW_LOGGER_NAME") == null) {
            assertThat(new MozlogFormatter().loggerName()).isEqualTo("Dockerflow");
        }
    }
}
