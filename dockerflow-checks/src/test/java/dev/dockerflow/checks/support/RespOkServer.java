package dev.dockerflow.checks.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback listener that speaks just enough of the Redis protocol to answer every
 * command with {@code +OK}: a server that is up and replying, but not with {@code PONG}
 * to {@code PING}. Real Redis never does that, so this is the only way to see the reply
 * check work. {@code HELLO} gets the error a Redis older than 6 gives, so clients fall
 * back to the RESP2 protocol spoken here.
 */
public final class RespOkServer implements AutoCloseable {

    private final ServerSocket server;

    private RespOkServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("resp-ok-" + server.getLocalPort()).start(this::acceptForever);
    }

    /**
     * Starts a listener on a free loopback port.
     *
     * @return the running listener
     * @throws IOException if no port can be bound
     */
    public static RespOkServer start() throws IOException {
        return new RespOkServer();
    }

    /** @return the port it listens on */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             OutputStream out = socket.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("*")) {
                    int arguments = Integer.parseInt(line.substring(1));
                    String command = "";
                    for (int i = 0; i < arguments; i++) {
                        in.readLine(); // $length
                        String argument = in.readLine();
                        if (i == 0) {
                            command = argument;
                        }
                    }
                    String reply = command.equalsIgnoreCase("HELLO") ? "-ERR unknown command 'HELLO'\r\n" : "+OK\r\n";
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
