package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatReportTest {

    private static CheckResult result(String name, CheckMessage... messages) {
        return CheckResult.completed(name, List.of(messages), Duration.ofMillis(1));
    }

    private static String json(HeartbeatReport report, boolean details) {
        return new String(report.toJson(details), StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheContractPayloadWithChecksInRegistrationOrderAndDetailsOnlyAboveOk() {
        HeartbeatReport report = HeartbeatReport.of(List.of(
                result("redis", CheckMessage.error("dockerflow.health.E004", "Could not connect to redis: refused")),
                result("database"),
                result("migrations", CheckMessage.warning("dockerflow.health.W001", "Unapplied migrations: 2"))),
                Duration.ofMillis(3));
        assertThat(json(report, true)).isEqualTo("{\"status\":\"error\","
                + "\"checks\":{\"redis\":\"error\",\"database\":\"ok\",\"migrations\":\"warning\"},"
                + "\"details\":{"
                + "\"redis\":{\"status\":\"error\",\"level\":40,"
                + "\"messages\":{\"dockerflow.health.E004\":\"Could not connect to redis: refused\"}},"
                + "\"migrations\":{\"status\":\"warning\",\"level\":30,"
                + "\"messages\":{\"dockerflow.health.W001\":\"Unapplied migrations: 2\"}}}}");
    }

    @Test
    void allOkHasEmptyDetails() {
        HeartbeatReport report = HeartbeatReport.of(List.of(result("a"), result("b")), Duration.ZERO);
        assertThat(json(report, true)).isEqualTo(
                "{\"status\":\"ok\",\"checks\":{\"a\":\"ok\",\"b\":\"ok\"},\"details\":{}}");
    }

    @Test
    void detailsHiddenGivesStatusAlone() {
        HeartbeatReport report = HeartbeatReport.of(
                List.of(result("db", CheckMessage.critical("x.C1", "gone"))), Duration.ZERO);
        assertThat(json(report, false)).isEqualTo("{\"status\":\"critical\"}");
        assertThat(json(HeartbeatReport.of(List.of(), Duration.ZERO), false)).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void aRepeatedIdKeepsOneMemberWithTheLastText() {
        HeartbeatReport report = HeartbeatReport.of(List.of(result("db",
                CheckMessage.info("x.I1", "first"), CheckMessage.info("x.I1", "second"))), Duration.ZERO);
        assertThat(json(report, true)).contains("\"messages\":{\"x.I1\":\"second\"}");
    }

    @Test
    void namesAndTextsAreEscaped() {
        HeartbeatReport report = HeartbeatReport.of(List.of(result("we\"ird\n",
                CheckMessage.error("x.E1", "caf\u00e9 \\ \u0001"))), Duration.ZERO);
        String json = json(report, true);
        assertThat(json).contains("\"we\\\"ird\\n\":\"error\"").contains("\"caf\\u00e9 \\\\ \\u0001\"");
        assertThat(JsonAssert.parse(json).get("checks").get("we\"ird\n").asText()).isEqualTo("error");
    }
}
