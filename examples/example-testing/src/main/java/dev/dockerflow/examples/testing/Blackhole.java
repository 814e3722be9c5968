package dev.dockerflow.examples.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A backend that accepts connections on loopback and never answers: the worst a backend
 * can do to a heartbeat. It accepts from the moment it starts, so connections a service
 * makes at start-up are counted before any request is sent. Accepted sockets are held open
 * until {@link #close()} (one nothing refers to would be closed when garbage-collected, and
 * the client would see a hang-up).
 */
public final class Blackhole implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private Blackhole(ServerSocket listener) {
        this.listener = listener;
    }

    /**
     * Starts listening on a free loopback port.
     *
     * @return the running blackhole
     * @throws IOException if no port can be bound
     */
    public static Blackhole start() throws IOException {
        Blackhole blackhole = new Blackhole(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("blackhole").start(blackhole::acceptForever);
        return blackhole;
    }

    private void acceptForever() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept(); // kept open, never read
                synchronized (this) {
                    accepted.add(socket);
                    notifyAll();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /**
     * The port it listens on.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Waits until it has accepted {@code count} connections in all.
     *
     * @param count the number of connections
     * @param timeoutMillis how long to wait
     * @return {@code true} if that many came in time
     * @throws InterruptedException if interrupted
     */
    public synchronized boolean awaitConnections(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (accepted.size() < count) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * How many connections it has accepted.
     *
     * @return the count
     */
    public int connections() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
