package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes opened only for their side effect
class RequestSummaryTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final Clock clock = Clock.fixed(Instant.parse("2025-11-24T16:00:00.123456789Z"), ZoneOffset.UTC);

    private Dockerflow.Builder builder(Map<String, String> env) {
        return Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(env).build())
                .summarySink(RequestSummarySink.lines(lines::add))
                .mozlog(Mozlog.create("Dockerflow", "web-1", 4242))
                .clock(clock)
                .nanoTime(nanos::get);
    }

    private JsonNode onlyLine() {
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n").doesNotContain("\r");
        return JsonAssert.parse(lines.get(0));
    }

    @Test
    void aNormalRequestHasEveryFieldInOrder() {
        Dockerflow df = builder(Map.of()).build();
        ActiveRequest req = df.startRequest(TestRequest.get("/items/a%20b")
                .header("User-Agent", "curl/8.5").header("Accept-Language", "en").header("X-Request-ID", "abc-123"));
        nanos.addAndGet(TimeUnit.MICROSECONDS.toNanos(3_900));
        assertThat(req.complete(200, null)).isTrue();
        req.close();

        assertThat(lines.get(0)).isEqualTo("{\"Timestamp\":1764000000123456789,\"Type\":\"request.summary\","
                + "\"Logger\":\"Dockerflow\",\"Hostname\":\"web-1\",\"EnvVersion\":\"2.0\",\"Severity\":6,\"Pid\":4242,"
                + "\"Fields\":{\"agent\":\"curl/8.5\",\"lang\":\"en\",\"method\":\"GET\",\"path\":\"/items/a%20b\","
                + "\"code\":200,\"errno\":0,\"t\":3,\"rid\":\"abc-123\",\"uid\":\"\"}}");
    }

    @Test
    void missingHeadersGiveEmptyStringsAndAGeneratedRequestId() {
        Dockerflow df = builder(Map.of()).build();
        ActiveRequest req = df.startRequest(new TestRequest("POST", "/x", null).header("X-Request-ID", "bad id!"));
        req.complete(201, null);
        JsonNode fields = onlyLine().get("Fields");
        assertThat(fields.get("agent").asText()).isEmpty();
        assertThat(fields.get("lang").asText()).isEmpty();
        assertThat(fields.get("method").asText()).isEqualTo("POST");
        assertThat(fields.get("code").asInt()).isEqualTo(201);
        assertThat(UUID.fromString(fields.get("rid").asText())).isNotNull();
        assertThat(fields.get("rid").asText()).isEqualTo(req.requestId());
        assertThat(fields.has("querystring")).isFalse();
        assertThat(fields.has("msg")).isFalse();
    }

    @Test
    void theRequestIdHeaderNameIsConfigurable() {
        Dockerflow df = builder(Map.of("DOCKERFLOW_REQUEST_ID_HEADER_NAME", "X-Trace")).build();
        ActiveRequest req = df.startRequest(TestRequest.get("/").header("X-Trace", "t-1").header("X-Request-ID", "r-1"));
        assertThat(req.requestId()).isEqualTo("t-1");
        java.util.Map<String, String> echoed = new java.util.LinkedHashMap<>();
        req.forEachResponseHeader(echoed::put);
        assertThat(echoed).containsExactly(Map.entry("X-Trace", "t-1"));
        req.complete(200, null);
        assertThat(onlyLine().get("Fields").get("rid").asText()).isEqualTo("t-1");
    }

    @Test
    void theRequestIdIsCurrentDuringTheRequestAndGoneAfterClose() throws Exception {
        Dockerflow df = builder(Map.of()).build();
        // a thread of its own, as a server gives each request
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            assertThat(RequestId.current()).isEmpty();
            try (ActiveRequest req = df.startRequest(TestRequest.get("/").header("X-Request-ID", "during"))) {
                assertThat(RequestId.current()).contains("during");
                req.complete(200, null);
                // still there after the summary: code that runs after the answer is sent logs with it
                assertThat(RequestId.current()).contains("during");
            }
            assertThat(RequestId.current()).isEmpty();
        }, java.util.concurrent.Executors.newSingleThreadExecutor()).get();
    }

    @Test
    void aRaisedRequestHasSeverity3Errno500AndTheMessage() {
        Dockerflow df = builder(Map.of()).build();
        ActiveRequest req = df.startRequest(TestRequest.get("/boom"));
        assertThat(req.complete(500, new IllegalStateException("kaput \"quoted\"\nsecond line"))).isTrue();
        JsonNode line = onlyLine();
        assertThat(line.get("Severity").asInt()).isEqualTo(3);
        assertThat(line.get("Fields").get("errno").asInt()).isEqualTo(500);
        assertThat(line.get("Fields").get("code").asInt()).isEqualTo(500);
        assertThat(line.get("Fields").get("msg").asText()).isEqualTo("kaput \"quoted\"\nsecond line");
    }

    @Test
    void anExceptionWithoutMessageLogsItsClassName() {
        Dockerflow df = builder(Map.of()).build();
        df.startRequest(TestRequest.get("/")).complete(500, new NullPointerException());
        assertThat(onlyLine().get("Fields").get("msg").asText()).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void theSummaryIsWrittenExactlyOnce() {
        Dockerflow df = builder(Map.of()).build();
        ActiveRequest req = df.startRequest(TestRequest.get("/"));
        assertThat(req.isCompleted()).isFalse();
        assertThat(req.complete(200, null)).isTrue();
        assertThat(req.complete(200, null)).isFalse();
        assertThat(req.complete(500, new RuntimeException())).isFalse();
        assertThat(req.isCompleted()).isTrue();
        assertThat(lines).hasSize(1);
    }

    @Test
    void querystringIsLoggedDecodedOnlyWhenEnabled() {
        Dockerflow off = builder(Map.of()).build();
        off.startRequest(new TestRequest("GET", "/s", "q=caf%C3%A9+au+lait&x=%ZZ")).complete(200, null);
        assertThat(onlyLine().get("Fields").has("querystring")).isFalse();
        lines.clear();

        Dockerflow on = builder(Map.of("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "true")).build();
        on.startRequest(new TestRequest("GET", "/s", "q=caf%C3%A9+au+lait&x=%ZZ&bad=%FF")).complete(200, null);
        assertThat(onlyLine().get("Fields").get("querystring").asText())
                .isEqualTo("q=caf\u00e9+au+lait&x=%ZZ&bad=\ufffd");
    }

    @Test
    void pathIsUndecodedAndWithoutQuery() {
        Dockerflow df = builder(Map.of()).build();
        df.startRequest(new TestRequest("GET", "/a%2Fb/%0A?leak=1", null)).complete(404, null);
        assertThat(onlyLine().get("Fields").get("path").asText()).isEqualTo("/a%2Fb/%0A");
    }

    @Test
    void headerValuesLongerThan1024CharactersAreCut() {
        Dockerflow df = builder(Map.of()).build();
        df.startRequest(TestRequest.get("/").header("User-Agent", "u".repeat(8192))
                .header("Accept-Language", "l".repeat(1023) + "\ud83d\ude00" + "rest")).complete(200, null);
        JsonNode fields = onlyLine().get("Fields");
        assertThat(fields.get("agent").asText()).isEqualTo("u".repeat(1024));
        // never cut between the two halves of a surrogate pair
        assertThat(fields.get("lang").asText()).isEqualTo("l".repeat(1023));
    }

    @Test
    void uidComesFromThePrincipalAndCanBeReplaced() {
        builder(Map.of()).build().startRequest(TestRequest.get("/").principal("alice")).complete(200, null);
        assertThat(onlyLine().get("Fields").get("uid").asText()).isEqualTo("alice");
        lines.clear();

        Function<RequestView, String> fromHeader = view -> view.header("X-User").orElse(null);
        builder(Map.of()).userId(fromHeader).build()
                .startRequest(TestRequest.get("/").principal("alice").header("X-User", "bob")).complete(200, null);
        assertThat(onlyLine().get("Fields").get("uid").asText()).isEqualTo("bob");
        lines.clear();

        builder(Map.of()).userId(fromHeader).build().startRequest(TestRequest.get("/")).complete(200, null);
        assertThat(onlyLine().get("Fields").get("uid").asText()).isEmpty();
    }

    @Test
    void extraFieldsAreAddedAfterTheStandardOnesWhichTheyCannotReplace() {
        try (LogCapture ignored = LogCapture.of("dockerflow")) {
            builder(Map.of()).summaryExtra(view -> {
                Map<String, Object> extra = new java.util.LinkedHashMap<>();
                extra.put("tenant", "acme");
                extra.put("items", 3);
                extra.put("cached", true);
                extra.put("code", 999);
                extra.put("rid", "forged");
                extra.put("view", view.unwrap(TestRequest.class).isPresent());
                return extra;
            }).build().startRequest(TestRequest.get("/").header("X-Request-ID", "real")).complete(200, null);
        }
        JsonNode fields = onlyLine().get("Fields");
        List<String> names = new ArrayList<>();
        Iterator<String> it = fields.fieldNames();
        it.forEachRemaining(names::add);
        assertThat(names).containsExactly("agent", "lang", "method", "path", "code", "errno", "t", "rid", "uid",
                "tenant", "items", "cached", "view");
        assertThat(fields.get("code").asInt()).isEqualTo(200);
        assertThat(fields.get("rid").asText()).isEqualTo("real");
        assertThat(fields.get("items").isInt()).isTrue();
        assertThat(fields.get("cached").isBoolean()).isTrue();
        assertThat(fields.get("view").asBoolean()).isTrue();
    }

    @Test
    void failingHooksAndSinksNeverBreakTheRequest() {
        try (LogCapture log = LogCapture.of("dockerflow")) {
            builder(Map.of())
                    .summaryExtra(view -> {
                        throw new IllegalStateException("extra hook bug");
                    })
                    .userId(view -> {
                        throw new IllegalStateException("uid hook bug");
                    })
                    .build().startRequest(TestRequest.get("/")).complete(200, null);
            JsonNode fields = onlyLine().get("Fields");
            assertThat(fields.get("uid").asText()).isEmpty();
            assertThat(fields.size()).isEqualTo(9);

            Dockerflow brokenSink = builder(Map.of()).summarySink((s, m) -> {
                throw new IllegalStateException("disk full");
            }).build();
            ActiveRequest req = brokenSink.startRequest(TestRequest.get("/"));
            assertThat(req.complete(200, null)).isTrue();
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getThrown()).hasMessage("disk full"));
            assertThat(log.records()).anySatisfy(r -> assertThat(r.getThrown()).hasMessage("uid hook bug"));
        }
    }

    @Test
    void loggerNameIsConfigurable() {
        Dockerflow df = Dockerflow.builder()
                .config(DockerflowConfig.builder().environment(Map.of("DOCKERFLOW_LOGGER_NAME", "notes-svc")).build())
                .summarySink(RequestSummarySink.lines(lines::add)).build();
        df.startRequest(TestRequest.get("/")).complete(200, null);
        JsonNode line = onlyLine();
        assertThat(line.get("Logger").asText()).isEqualTo("notes-svc");
        assertThat(line.get("Pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(line.get("Hostname").asText()).isNotBlank();
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        assertThat(line.get("Timestamp").asLong()).isBetween(nowNanos - 60_000_000_000L, nowNanos + 60_000_000_000L);
    }

    @Test
    void summaryAccessorsMatchTheFields() {
        List<RequestSummary> summaries = new ArrayList<>();
        Dockerflow df = builder(Map.of()).summarySink((s, m) -> summaries.add(s)).build();
        ActiveRequest req = df.startRequest(TestRequest.get("/p").principal("u1"));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(12));
        req.complete(502, new IllegalArgumentException("m"));
        RequestSummary s = summaries.get(0);
        assertThat(s.method()).isEqualTo("GET");
        assertThat(s.path()).isEqualTo("/p");
        assertThat(s.code()).isEqualTo(502);
        assertThat(s.errno()).isEqualTo(500);
        assertThat(s.durationMillis()).isEqualTo(12);
        assertThat(s.userId()).isEqualTo("u1");
        assertThat(s.requestId()).isEqualTo(req.requestId());
        assertThat(s.errorMessage()).contains("m");
        assertThat(s.severity()).isEqualTo(3);
        assertThat(s.timestampNanos()).isEqualTo(1764000000123456789L);
    }

    @Test
    void theLineWriterAndTheFieldsMapWriteTheSameLine() {
        // a summary keeps its fields twice over: written straight into the line, and as the map
        // fields() makes; every optional field and the application's extra ones appear in both
        List<RequestSummary> summaries = new ArrayList<>();
        Mozlog mozlog = Mozlog.create("Dockerflow", "web-1", 4242);
        Dockerflow df = builder(Map.of("DOCKERFLOW_SUMMARY_LOG_QUERYSTRING", "true"))
                .summaryExtra(view -> Map.of("tenant", "a\"cme"))
                .summarySink((summary, m) -> summaries.add(summary)).build();
        df.startRequest(TestRequest.get("/ok").header("User-Agent", "caf\u00e9\n")).complete(200, null);
        df.startRequest(TestRequest.get("/q?x=1%202")).complete(404, null);
        df.startRequest(TestRequest.get("/raised").principal("u1")).complete(500, new IllegalStateException("bad\r\nline"));
        df.startRequest(TestRequest.get("/cut"));
        df.close();
        assertThat(summaries).hasSize(4);
        for (RequestSummary summary : summaries) {
            assertThat(mozlog.format(summary)).isEqualTo(
                    mozlog.format(summary.timestampNanos(), RequestSummary.TYPE, summary.severity(), summary.fields()));
        }
        assertThat(summaries.get(1).fields()).containsKey("querystring");
        assertThat(summaries.get(2).fields()).containsKey("msg");
        assertThat(summaries.get(3).fields()).containsEntry("cut", true);
    }
}
