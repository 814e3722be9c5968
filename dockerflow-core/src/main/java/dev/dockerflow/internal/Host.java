package dev.dockerflow.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process's host, found once. */
public final class Host {

    private static final String NAME = findName();
    private static final long PID = ProcessHandle.current().pid();

    private Host() {
    }

    /**
     * The host name, as {@code hostname} prints it: {@code $HOSTNAME}, else the
     * kernel's name, else what the resolver says, else {@code localhost}.
     *
     * @return the host name
     */
    public static String name() {
        return NAME;
    }

    /**
     * This process's id.
     *
     * @return the pid
     */
    public static long pid() {
        return PID;
    }

    private static String findName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String name = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException | RuntimeException e) {
                // not on this system; try the next source
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
