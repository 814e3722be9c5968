package dev.dockerflow.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example service's real {@code main}, run in its own JVM on the test's class path
 * with the environment the test gives, its stdout collected line by line.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Listening on port (\\d+)");

    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    private volatile int port = -1;

    private ServiceProcess(Process process, Path stdoutFile, Path stderrFile) {
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    /**
     * Starts the service with {@code PORT=0} plus {@code env} and waits until it says
     * which port it listens on: the packaged jar ({@code java -jar}) when the system
     * property {@code service.jar} names one, as the integration tests do, else
     * {@code mainClass} on the current class path.
     *
     * @param mainClass the service's main class
     * @param env environment variables to add
     * @return the running service
     * @throws IOException if the JVM cannot start
     * @throws InterruptedException if interrupted while waiting
     */
    public static ServiceProcess start(String mainClass, Map<String, String> env) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // as shipped when the build says where the packaged jar is (integration tests), else from the class path
        String jar = System.getProperty("service.jar");
        List<String> command = jar != null && Files.isRegularFile(Path.of(jar))
                ? new ArrayList<>(List.of(java, "-jar", jar))
                : new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("DOCKERFLOW_") || k.equals("DATABASE_URL")
                || k.equals("REDIS_URL") || k.equals("APP_DIR"));
        builder.environment().put("PORT", "0");
        builder.environment().put("APP_DIR", "/nonexistent-app-dir");
        builder.environment().putAll(env);
        // files, not pipes: whatever the service writes up to its last moment is kept
        Path out = Files.createTempFile("service-", ".stdout");
        Path err = Files.createTempFile("service-", ".stderr");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        ServiceProcess service = new ServiceProcess(builder.start(), out, err);
        try {
            service.awaitPort(Duration.ofSeconds(60));
        } catch (RuntimeException | InterruptedException e) {
            service.close(); // never leave a service running behind a failed start
            throw e;
        }
        return service;
    }

    private static List<String> lines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // a last line still being written is not a line yet
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : text.substring(0, end).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stdout()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    return;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + "\nstdout:\n"
                        + String.join("\n", stdout()) + "\nstderr:\n" + String.join("\n", stderr()));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("service did not say its port in " + timeout + "\nstdout:\n"
                + String.join("\n", stdout()) + "\nstderr:\n" + String.join("\n", stderr()));
    }

    /**
     * The port the service listens on.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The service's base URL on loopback.
     *
     * @return e.g. {@code http://127.0.0.1:41234}
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Every stdout line so far.
     *
     * @return the lines
     */
    public List<String> stdout() {
        return lines(stdoutFile);
    }

    /**
     * Every stderr line so far.
     *
     * @return the lines
     */
    public List<String> stderr() {
        return lines(stderrFile);
    }

    /**
     * Every stdout line parsed as JSON; fails on a line that is not one JSON object.
     *
     * @return the parsed lines
     */
    public List<JsonNode> stdoutJson() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : stdout()) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    throw new AssertionError("stdout line is not a JSON object: " + line);
                }
                nodes.add(node);
            } catch (IOException e) {
                throw new AssertionError("stdout line is not JSON: " + line, e);
            }
        }
        return nodes;
    }

    /**
     * Waits for a request-summary line matching {@code test}.
     *
     * @param test what the line must satisfy
     * @param timeout how long to wait
     * @return the summary line
     * @throws InterruptedException if interrupted
     */
    public JsonNode awaitSummary(Predicate<JsonNode> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode node : stdoutJson()) {
                if ("request.summary".equals(node.path("Type").asText()) && test.test(node)) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching summary line in:\n" + String.join("\n", stdout()));
    }

    /**
     * Sends SIGTERM and waits for the process to end.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws InterruptedException if interrupted
     */
    public int terminate(Duration timeout) throws InterruptedException {
        // SIGTERM, as a container runtime sends it
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("service did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(stdoutFile);
            Files.deleteIfExists(stderrFile);
        } catch (IOException e) {
            // temporary files; the system cleans them eventually
        }
    }
}
