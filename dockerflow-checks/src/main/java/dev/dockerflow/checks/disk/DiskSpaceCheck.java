package dev.dockerflow.checks.disk;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks that the file system holding a path has enough free space: below the warning
 * threshold it warns, below the error threshold the heartbeat fails. Free space is what this
 * process may use ({@link FileStore#getUsableSpace()}), so blocks reserved for the superuser do
 * not count.
 *
 * <table>
 *   <caption>Messages</caption>
 *   <tr><th>id</th><th>level</th><th>when</th></tr>
 *   <tr><td>{@value #LOW_ID}</td><td>warning</td><td>{@code Disk space low under <path>: ...}: free
 *       space is below the warning threshold</td></tr>
 *   <tr><td>{@value #CRITICAL_ID}</td><td>error</td><td>{@code Disk space critically low under <path>: ...}:
 *       free space is below the error threshold</td></tr>
 *   <tr><td>{@value #UNREADABLE_ID}</td><td>error</td><td>{@code Cannot read disk space under <path>: ...}:
 *       the path does not exist or its file system cannot be read</td></tr>
 * </table>
 *
 * <p>Timeouts: reading a local file system's sizes does not block; a network file system that
 * hangs is cut off by the heartbeat's timeout.
 *
 * <p>Immutable and thread-safe.
 */
public final class DiskSpaceCheck implements Check {

    /** The conventional registration name, {@value}. */
    public static final String NAME = "check_disk_space";

    /** Id reported when free space is below the warning threshold. */
    public static final String LOW_ID = "dockerflow.health.W005";

    /** Id reported when free space is below the error threshold. */
    public static final String CRITICAL_ID = "dockerflow.health.E018";

    /** Id reported when the free space cannot be read. */
    public static final String UNREADABLE_ID = "dockerflow.health.E019";

    /** The default warning threshold: 10% of the file system free. */
    public static final DiskSpaceThreshold DEFAULT_WARNING = DiskSpaceThreshold.percent(10);

    /** The default error threshold: 5% of the file system free. */
    public static final DiskSpaceThreshold DEFAULT_ERROR = DiskSpaceThreshold.percent(5);

    private final Path path;
    private final DiskSpaceThreshold warningBelow;
    private final DiskSpaceThreshold errorBelow;
    private final String name;

    private DiskSpaceCheck(Path path, DiskSpaceThreshold warningBelow, DiskSpaceThreshold errorBelow, String name) {
        this.path = path;
        this.warningBelow = warningBelow;
        this.errorBelow = errorBelow;
        this.name = name;
    }

    /**
     * A check of the file system holding {@code path} that warns below 10% free and
     * fails below 5%, named {@value #NAME}.
     *
     * @param path a file or directory on the file system to watch, e.g. a data or upload directory
     * @return the check
     */
    public static DiskSpaceCheck of(Path path) {
        return of(path, DEFAULT_WARNING, DEFAULT_ERROR);
    }

    /**
     * A check of the file system holding {@code path} with thresholds of its own, named {@value #NAME}.
     *
     * @param path a file or directory on the file system to watch
     * @param warningBelow free space below this warns
     * @param errorBelow free space below this fails the heartbeat
     * @return the check
     * @throws IllegalArgumentException if both thresholds are of one kind (both sizes or both
     *     percentages) and the warning threshold is not above the error threshold
     */
    public static DiskSpaceCheck of(Path path, DiskSpaceThreshold warningBelow, DiskSpaceThreshold errorBelow) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(warningBelow, "warningBelow");
        Objects.requireNonNull(errorBelow, "errorBelow");
        if (warningBelow.isSameKind(errorBelow) && !warningBelow.isAboveSameKind(errorBelow)) {
            throw new IllegalArgumentException("the disk space warning threshold must be above the error threshold, got warning below "
                    + warningBelow + " and error below " + errorBelow);
        }
        return new DiskSpaceCheck(path, warningBelow, errorBelow, NAME);
    }

    /**
     * A copy of this check registered under another name, for a service that watches several paths.
     *
     * @param name the name to register the check under
     * @return a new check
     * @throws IllegalArgumentException if the name is blank
     */
    public DiskSpaceCheck withName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a check needs a non-blank name, got '" + name + "'");
        }
        return new DiskSpaceCheck(path, warningBelow, errorBelow, name);
    }

    /**
     * The name this check is meant to be registered under.
     *
     * @return {@value #NAME} unless another name was given
     */
    public String name() {
        return name;
    }

    /**
     * The path whose file system is checked.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Reads the free space of the file system holding the path.
     *
     * @return empty when there is enough, else how little there is
     */
    @Override
    public List<CheckMessage> run() {
        long usable;
        long total;
        try {
            FileStore store = Files.getFileStore(path);
            usable = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException | SecurityException e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage().strip();
            return List.of(CheckMessage.error(UNREADABLE_ID, "Cannot read disk space under " + path + ": "
                    + e.getClass().getSimpleName() + message));
        }
        String free = size(usable) + " free (" + percent(usable, total) + " of " + size(total) + ")";
        if (usable < errorBelow.bytesOf(total)) {
            return List.of(CheckMessage.error(CRITICAL_ID, "Disk space critically low under " + path + ": " + free
                    + ", below the error threshold of " + errorBelow));
        }
        if (usable < warningBelow.bytesOf(total)) {
            return List.of(CheckMessage.warning(LOW_ID, "Disk space low under " + path + ": " + free
                    + ", below the warning threshold of " + warningBelow));
        }
        return List.of();
    }

    private static String percent(long part, long total) {
        return total <= 0 ? "?%" : String.format(Locale.ROOT, "%.1f%%", part * 100.0 / total);
    }

    /** A size in bytes as people read it: {@code 812 B}, {@code 1.5 KiB}, {@code 3.2 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public String toString() {
        return "DiskSpaceCheck[" + name + ", " + path + ", warning below " + warningBelow + ", error below " + errorBelow + "]";
    }
}
