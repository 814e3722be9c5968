package dev.dockerflow.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class MozlogHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneMozlogLinePerRecordOnStandardOutputFromManyThreads() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        try {
            MozlogHandler handler = new MozlogHandler();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            LogRecord record = new LogRecord(Level.WARNING, "line " + thread + "/" + i + "\nwith \"quotes\"");
                            record.setLoggerName("app.notes");
                            handler.publish(record);
                        }
                    });
                }
            }
            handler.close();
        } finally {
            System.setOut(original);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1600);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.get("Type").asText()).isEqualTo("app.notes");
            assertThat(node.get("Severity").asInt()).isEqualTo(4);
            assertThat(node.get("Fields").get("msg").asText()).startsWith("line ").endsWith("\nwith \"quotes\"");
        }
    }

    @Test
    void recordsBelowTheLevelAreDropped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            MozlogHandler handler = new MozlogHandler();
            handler.setLevel(Level.INFO);
            handler.publish(new LogRecord(Level.FINE, "hidden"));
            handler.publish(new LogRecord(Level.INFO, "shown"));
        } finally {
            System.setOut(original);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).singleElement()
                .satisfies(line -> assertThat(line).contains("\"msg\":\"shown\""));
    }
}
