package dev.dockerflow.checks.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} of the test's own on a free loopback port, for
 * configurations the shared Redis must never be changed to (a password, say). It keeps
 * nothing on disk and is stopped by {@link #close()}.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server with extra arguments, e.g. {@code --requirepass s3cret}; skips the
     * calling test (fails it on CI) when {@code redis-server} is not installed.
     *
     * @param arguments extra {@code redis-server} arguments
     * @return the running server
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static RedisServerProcess start(String... arguments) throws IOException, InterruptedException {
        return startOn(Ports.closed(), arguments);
    }

    /**
     * Starts a server on a given loopback port, e.g. the port of one that was stopped, to
     * see clients reconnect.
     *
     * @param port the port to listen on
     * @param arguments extra {@code redis-server} arguments
     * @return the running server
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting for it
     */
    public static RedisServerProcess startOn(int port, String... arguments) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            Services.unavailable(BINARY + " is not installed");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RedisServerProcess server = new RedisServerProcess(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        server.close();
        throw new IOException("redis-server did not listen on port " + port + " within 10 s");
    }

    /** @return the port it listens on */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
