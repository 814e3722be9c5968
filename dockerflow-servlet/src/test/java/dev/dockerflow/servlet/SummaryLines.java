package dev.dockerflow.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dockerflow.RequestSummarySink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** The summary lines a test's Dockerflow writes, read in order as they arrive. */
final class SummaryLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Semaphore arrivals = new Semaphore(0);
    private int seen;

    RequestSummarySink sink() {
        return RequestSummarySink.lines(line -> {
            lines.add(line);
            arrivals.release();
        });
    }

    /** The next summaries, waiting up to 10 s for them. */
    List<JsonNode> next(int count) throws InterruptedException {
        assertThat(arrivals.tryAcquire(count, 10, TimeUnit.SECONDS)).as("%d summaries within 10 s", count).isTrue();
        List<JsonNode> parsed = lines.subList(seen, seen + count).stream().map(SummaryLines::parse).toList();
        seen += count;
        return parsed;
    }

    JsonNode next() throws InterruptedException {
        return next(1).get(0);
    }

    /** Summaries written beyond those looked at. */
    List<String> unread() {
        return lines.subList(seen, lines.size());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
