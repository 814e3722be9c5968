package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RequestSummarySinkTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 250;

    /** A stream that hands bytes over one at a time, so any unlocked writer would interleave. */
    private static final class SlowStream extends OutputStream {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            synchronized (out) {
                out.write(b);
            }
            Thread.yield();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        String text() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static void hammer(Dockerflow df) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        df.startRequest(TestRequest.get("/t" + thread + "/" + i)
                                .header("User-Agent", "agent-" + "x".repeat(i % 300))).complete(200, null);
                    }
                });
            }
        }
    }

    private static void assertWholeDistinctLines(String text) {
        assertThat(text).endsWith("\n");
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(THREADS * PER_THREAD);
        Set<String> paths = new HashSet<>();
        for (String line : lines) {
            paths.add(JsonAssert.parse(line).get("Fields").get("path").asText());
        }
        assertThat(paths).hasSize(THREADS * PER_THREAD);
    }

    @Test
    void aStreamSinkNeverInterleavesLines() throws Exception {
        SlowStream stream = new SlowStream();
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults())
                .summarySink(RequestSummarySink.toStream(stream)).build();
        hammer(df);
        assertWholeDistinctLines(stream.text());
    }

    @Test
    void theStdoutSinkNeverInterleavesLines() throws Exception {
        SlowStream stream = new SlowStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stream, false, StandardCharsets.UTF_8));
        try {
            try (Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults()).build()) {
                hammer(df);
            }
        } finally {
            System.setOut(original);
        }
        assertWholeDistinctLines(stream.text());
    }

    @Test
    void aLineWhoseWriteFailedIsWrittenOnceTheStreamWorksAgain() {
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        OutputStream flaky = new OutputStream() {
            @Override
            public void write(int b) {
                good.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (failNext.getAndSet(false)) {
                    throw new java.io.IOException("disk full");
                }
                good.write(b, off, len);
            }
        };
        List<String> logged = new java.util.ArrayList<>();
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults())
                .summarySink(RequestSummarySink.toStream(flaky)).build();
        try (LogCapture log = LogCapture.of("dockerflow")) {
            for (String path : List.of("/lost", "/kept")) {
                try (ActiveRequest request = df.startRequest(TestRequest.get(path))) {
                    request.complete(200, null);
                }
            }
            logged.addAll(log.messages());
        }
        // the line whose write failed is kept and written first once the stream works again
        assertThat(good.toString(StandardCharsets.UTF_8).lines())
                .extracting(line -> JsonAssert.parse(line).get("Fields").get("path").asText())
                .containsExactly("/lost", "/kept");
        assertThat(logged).anySatisfy(m -> assertThat(m).contains("sink"));
    }

    @Test
    void theDefaultSinkIsStdout() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            try (Dockerflow df = Dockerflow.builder().config(DockerflowConfig.builder().environment(Map.of()).build())
                    .build()) {
                df.startRequest(TestRequest.get("/stdout")).complete(204, null);
            }
        } finally {
            System.setOut(original);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(1);
        assertThat(JsonAssert.parse(out.strip()).get("Fields").get("code").asInt()).isEqualTo(204);
    }
}
