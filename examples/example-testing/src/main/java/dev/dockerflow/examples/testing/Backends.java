package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The servers on this machine that tests use, and what to do when one is not there. */
public final class Backends {

    /** PostgreSQL: database {@code test}, trust authentication. */
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** Redis. */
    public static final String REDIS_URL = "redis://127.0.0.1:6379";

    private Backends() {
    }

    /**
     * Continues only if something listens on the port: in CI ({@code CI=true}) a missing
     * server fails the test, elsewhere it skips it with the reason.
     *
     * @param name what should be there
     * @param port its loopback port
     */
    public static void requireListening(String name, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        } catch (IOException e) {
            String reason = name + " is not reachable on 127.0.0.1:" + port + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + "; CI needs it");
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    /**
     * The path of an installed program, found on the {@code PATH} or in the system folders:
     * in CI ({@code CI=true}) a missing program fails the test, elsewhere it skips it with
     * the reason and how to install it.
     *
     * @param name the program, e.g. {@code haproxy}
     * @param install how to install it
     * @return its path
     */
    public static Path requireProgram(String name, String install) {
        List<Path> folders = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String folder : path.split(java.io.File.pathSeparator)) {
                if (!folder.isBlank()) {
                    folders.add(Path.of(folder));
                }
            }
        }
        folders.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin"), Path.of("/sbin")));
        for (Path folder : folders) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String reason = name + " is not installed (" + install + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + "; CI needs it");
        }
        System.out.println("SKIPPED: " + reason);
        return Assumptions.abort(reason);
    }
}
