package dev.dockerflow.checks.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on loopback that accepts every connection and never reads or writes:
 * the server that hangs, the case where only a timeout saves the caller.
 */
public final class BlackholeServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private BlackholeServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("blackhole-" + server.getLocalPort()).start(this::acceptForever);
    }

    /**
     * Starts a listener on a free loopback port.
     *
     * @return the running listener
     * @throws IOException if no port can be bound
     */
    public static BlackholeServer start() throws IOException {
        return new BlackholeServer();
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    /** @return how many connections it has accepted so far */
    public int acceptedCount() {
        return accepted.size();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                accepted.add(server.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
