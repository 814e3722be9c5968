package dev.dockerflow.benchmarks;

import java.nio.charset.StandardCharsets;

/** Prints the lines each benchmark produces, to check that they encode what they claim to. */
public final class PrintLines {

    private PrintLines() {
    }

    /**
     * Prints one line per benchmark.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        LogEncodingBenchmark b = new LogEncodingBenchmark();
        b.setUp();
        System.out.print(new String(b.applicationEventMozlog(), StandardCharsets.UTF_8));
        System.out.print(new String(b.applicationEventLogstash(), StandardCharsets.UTF_8));
        System.out.print(new String(b.summaryEventMozlog(), StandardCharsets.UTF_8));
        System.out.print(new String(b.summaryEventLogstash(), StandardCharsets.UTF_8));
        b.tearDown();
    }
}
