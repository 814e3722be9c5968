package dev.dockerflow.examples.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code GET} written on a connection of its own before {@link #send} returns, so that
 * requests sent one after another reach the server in that order; its answer's status line
 * is read on a virtual thread. Timed from before connecting until the status line is in.
 */
public final class PendingGet implements AutoCloseable {

    /** How long a read waits. */
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final String path;
    private final Socket socket;
    private final CompletableFuture<Answer> answer = new CompletableFuture<>();

    /**
     * The answer's status and how long it took.
     *
     * @param path the path asked for
     * @param status the HTTP status
     * @param took from before connecting until the status line was read
     */
    public record Answer(String path, int status, Duration took) {
    }

    private PendingGet(String path, Socket socket) {
        this.path = path;
        this.socket = socket;
    }

    /**
     * Connects to a port of {@code 127.0.0.1} and writes {@code GET path} with
     * {@code Connection: close}.
     *
     * @param port the server's port
     * @param path the raw request target, sent as it is
     * @return the request whose answer is to come
     * @throws IOException if it cannot be written
     */
    public static PendingGet send(int port, String path) throws IOException {
        long start = System.nanoTime();
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        PendingGet pending = new PendingGet(path, socket);
        try {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        Thread.ofVirtual().start(() -> pending.read(start));
        return pending;
    }

    private void read(long start) {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            String[] status = line.toString(StandardCharsets.ISO_8859_1).split(" ");
            if (status.length < 2 || !status[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            answer.complete(new Answer(path, Integer.parseInt(status[1]), Duration.ofNanos(System.nanoTime() - start)));
        } catch (IOException | RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    /**
     * Whether the answer is in.
     *
     * @return {@code true} once the status line was read (or reading failed)
     */
    public boolean answered() {
        return answer.isDone();
    }

    /**
     * Waits for the answer, then closes the connection.
     *
     * @return the answer
     * @throws Exception if none came in time
     */
    public Answer await() throws Exception {
        try {
            return answer.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
