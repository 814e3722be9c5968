package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class MozlogTest {

    private static final Mozlog MOZLOG = Mozlog.create("Dockerflow", "host", 1);

    /** Characters that break naive JSON writers. */
    private static final char[] NASTY = {
        '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085',
        '\u2028', '\u2029', '\u00e9', '\u4e2d', '\ud83d', '\ude00', '\ufffe', '\uffff', '{', '}', '[', ']', ':', ',',
    };

    private static String randomString(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append(NASTY[random.nextInt(NASTY.length)]);
                case 1 -> sb.append((char) random.nextInt(0x20));
                case 2 -> sb.append((char) random.nextInt(Character.MAX_VALUE + 1));
                default -> sb.append((char) (' ' + random.nextInt(95)));
            }
        }
        return sb.toString();
    }

    /** What a JSON parser must read back: the text with lone surrogates replaced by U+FFFD. */
    private static String expectedRoundTrip(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\ufffd');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void assertOneAsciiLine(String line) {
        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @RepeatedTest(20)
    void anyGeneratedFieldValuesGiveOneLineOfValidJsonThatReadsBackTheSame(org.junit.jupiter.api.RepetitionInfo info) {
        Random random = new Random(info.getCurrentRepetition() * 7919L);
        for (int round = 0; round < 200; round++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < 6; i++) {
                fields.put("k" + i + randomString(random, 8), randomString(random, 64));
            }
            String type = randomString(random, 16);
            String line = MOZLOG.format(1L, type, 6, fields);
            assertOneAsciiLine(line);
            JsonNode node = JsonAssert.parse(line);
            assertThat(node.get("Type").asText()).isEqualTo(expectedRoundTrip(type));
            JsonNode parsedFields = node.get("Fields");
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                assertThat(parsedFields.get(expectedRoundTrip(e.getKey())).asText())
                        .isEqualTo(expectedRoundTrip((String) e.getValue()));
            }
        }
    }

    @Test
    void tenKilobyteValuesStayOneLine() {
        Random random = new Random(42);
        String big = randomString(random, 10_240) + "x".repeat(10_240);
        String line = MOZLOG.format(1L, "t", 6, Map.of("msg", big));
        assertOneAsciiLine(line);
        assertThat(JsonAssert.parse(line).get("Fields").get("msg").asText()).isEqualTo(expectedRoundTrip(big));
    }

    @Test
    void hostileRequestsGiveOneValidSummaryLine() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.builder()
                        .environment(Map.of("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "true")).build())
                .summarySink(RequestSummarySink.lines(lines::add)).build();
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            TestRequest req = new TestRequest(randomString(random, 10), "/" + randomString(random, 200),
                    randomString(random, 100) + "%0A%22%ff%C3")
                    .header("User-Agent", randomString(random, 2000))
                    .header("Accept-Language", "en\r\nX-Injected: 1\u0000")
                    .principal(randomString(random, 20));
            df.startRequest(req).complete(500, new RuntimeException(randomString(random, 300)));
        }
        assertThat(lines).hasSize(300);
        for (String line : lines) {
            assertOneAsciiLine(line);
            JsonNode node = JsonAssert.parse(line);
            assertThat(node.get("Fields").get("agent").asText().length()).isLessThanOrEqualTo(1024);
            assertThat(node.get("Fields").get("lang").asText()).isEqualTo("en\r\nX-Injected: 1\u0000");
        }
    }

    @Test
    void scalarTypesAreKeptAndOtherObjectsBecomeStrings() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("int", 1);
        fields.put("long", 2L);
        fields.put("double", 1.5);
        fields.put("nan", Double.NaN);
        fields.put("bool", false);
        fields.put("null", null);
        fields.put("list", List.of(1, 2));
        String line = MOZLOG.format(7L, "app", 4, fields);
        assertThat(line).endsWith("\"Fields\":{\"int\":1,\"long\":2,\"double\":1.5,\"nan\":\"NaN\",\"bool\":false,"
                + "\"null\":null,\"list\":\"[1, 2]\"}}");
        assertThat(line).startsWith("{\"Timestamp\":7,\"Type\":\"app\",\"Logger\":\"Dockerflow\",\"Hostname\":\"host\","
                + "\"EnvVersion\":\"2.0\",\"Severity\":4,\"Pid\":1,");
    }

    @Test
    void utf8OfTheLineIsItsAscii() {
        String line = MOZLOG.format(1L, "t", 6, Map.of("msg", "\u00e9\ud83d\ude00"));
        assertThat(line).contains("\\u00e9\\ud83d\\ude00");
        assertThat(line.getBytes(StandardCharsets.UTF_8)).hasSize(line.length());
        assertThat(JsonAssert.parse(line).get("Fields").get("msg").asText()).isEqualTo("\u00e9\ud83d\ude00");
    }

    @Test
    void fieldNamesOrderIsKept() {
        List<String> order = new ArrayList<>();
        JsonAssert.parse(MOZLOG.format(1L, "t", 6, new LinkedHashMap<>(Map.of("b", 1))))
                .fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("Timestamp", "Type", "Logger", "Hostname", "EnvVersion", "Severity", "Pid",
                "Fields");
    }
}
