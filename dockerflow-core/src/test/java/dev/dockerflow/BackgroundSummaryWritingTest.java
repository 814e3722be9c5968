package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stdout sink writes on a thread of its own: in batches, bounded, and all of it by exit. */
class BackgroundSummaryWritingTest {

    private static final Mozlog MOZLOG = Mozlog.create("Dockerflow", "test-host", 1);

    private static RequestSummary summary(String path) {
        List<RequestSummary> out = new java.util.ArrayList<>();
        Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults()).summarySink((s, m) -> out.add(s)).build();
        df.startRequest(TestRequest.get(path)).complete(200, null);
        return out.getFirst();
    }

    /** Collects what is written, and counts the writes. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        /** One permit per line end written. */
        final Semaphore lineEnds = new Semaphore(0);

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int ends = 0;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    ends++;
                }
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
            writes.incrementAndGet();
            lineEnds.release(ends);
        }

        List<String> lines() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.US_ASCII).lines().toList();
            }
        }
    }

    private static void awaitLines(CountingStream stream, int count) throws InterruptedException {
        assertThat(stream.lineEnds.tryAcquire(count, 10, TimeUnit.SECONDS))
                .as("%d lines written", count).isTrue();
    }

    @Test
    void linesArriveWithoutAnyoneFlushingAndManyShareOneWrite() throws Exception {
        CountingStream stream = new CountingStream();
        StreamSummarySink sink = new StreamSummarySink(() -> stream, "test", true);
        RequestSummary one = summary("/batched");
        int count = 5_000;
        for (int i = 0; i < count; i++) {
            sink.write(one, MOZLOG);
        }
        awaitLines(stream, count);
        assertThat(stream.lines()).hasSize(count).allSatisfy(line -> assertThat(line).isEqualTo(MOZLOG.format(one)));
        // 5,000 lines queued faster than the writer wakes: far fewer writes than lines
        assertThat(stream.writes.get()).isLessThan(count / 10);
    }

    @Test
    void aStalledStreamMakesCallersWaitInsteadOfQueueingWithoutBound() throws Exception {
        CountingStream stream = new CountingStream();
        stream.gate = new CountDownLatch(1);
        StreamSummarySink sink = new StreamSummarySink(() -> stream, "test", true);
        RequestSummary one = summary("/stalled");
        int count = StreamSummarySink.MAX_PENDING + 500;
        AtomicInteger queued = new AtomicInteger();
        Thread caller = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < count; i++) {
                sink.write(one, MOZLOG);
                queued.incrementAndGet();
            }
        });
        try {
            // the writer is stuck in the stream with one block of lines (64 KiB at most, here
            // under 400 lines); the caller may queue up to the bound, then waits
            caller.join(Duration.ofSeconds(2));
            assertThat(caller.isAlive()).isTrue();
            assertThat(queued.get()).isLessThan(StreamSummarySink.MAX_PENDING + 400);
        } finally {
            stream.gate.countDown();
        }
        caller.join(Duration.ofSeconds(20));
        assertThat(caller.isAlive()).isFalse();
        awaitLines(stream, count);
        assertThat(stream.lines()).hasSize(count);
    }

    @Test
    void everyQueuedLineIsWrittenBeforeTheJvmExits(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExitRightAfterRequests.class.getName(), "20000")
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
        Set<String> paths = new HashSet<>();
        for (String line : lines) {
            paths.add(JsonAssert.parse(line).get("Fields").get("path").asText());
        }
        assertThat(lines).hasSize(20_000);
        assertThat(paths).hasSize(20_000);
    }

    @Test
    void aStalledStdoutDoesNotHoldTheJvmsExit() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // stdout is a pipe nobody reads: 1,000 lines (about 300 KB) fill it and the writer blocks
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ExitRightAfterRequests.class.getName(), "1000")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            // main returns at once; the shutdown hook gives up on the stalled pipe after 2 s
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Serves requests with the default sink and returns from main at once. */
    static final class ExitRightAfterRequests {
        private ExitRightAfterRequests() {
        }

        public static void main(String[] args) {
            Dockerflow df = Dockerflow.builder().config(DockerflowConfig.defaults()).build();
            int n = Integer.parseInt(args[0]);
            for (int i = 0; i < n; i++) {
                df.startRequest(TestRequest.get("/exit/" + i)).complete(200, null);
            }
        }
    }
}
