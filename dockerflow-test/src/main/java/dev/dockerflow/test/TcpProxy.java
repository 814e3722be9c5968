package dev.dockerflow.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real server, whose network can be made to fail:
 * forwarding, swallowing everything (a blackhole for connections old and new), or
 * trickling one byte per second each way. A new mode applies at once to every connection.
 */
public final class TcpProxy implements AutoCloseable {

    /** What the proxy does with the bytes it reads. */
    public enum Mode {
        /** Passes them on. */
        FORWARD,
        /** Drops them: nothing gets through, and nothing is closed. */
        SWALLOW,
        /** Passes on one byte per second. */
        SLOW
    }

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.FORWARD;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-" + server.getLocalPort()).start(this::acceptForever);
    }

    /**
     * Starts a proxy to {@code 127.0.0.1:targetPort} on a free loopback port.
     *
     * @param targetPort the real server's port
     * @return the running proxy, forwarding
     * @throws IOException if no port can be bound
     */
    public static TcpProxy start(int targetPort) throws IOException {
        return new TcpProxy(targetPort);
    }

    /** @return the port to connect to instead of the real server's */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Changes what the proxy does, for open connections and new ones.
     *
     * @param mode the new mode
     */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(client);
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    Mode now = mode;
                    if (now == Mode.SWALLOW) {
                        break; // the rest of what was read is lost
                    }
                    if (now == Mode.FORWARD) {
                        out.write(buffer, i, n - i);
                        break;
                    }
                    out.write(buffer[i]);
                    out.flush();
                    Thread.sleep(1000); // the slow network this proxy stands for
                }
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
