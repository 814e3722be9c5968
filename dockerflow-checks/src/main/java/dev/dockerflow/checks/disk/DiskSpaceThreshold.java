package dev.dockerflow.checks.disk;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How little free space is too little: a number of bytes, or a percentage of the file
 * system's size. Immutable and thread-safe.
 */
public final class DiskSpaceThreshold {

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\\s*");
    private static final Pattern PERCENT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*%\\s*");

    private final long bytes;
    private final double percent;

    private DiskSpaceThreshold(long bytes, double percent) {
        this.bytes = bytes;
        this.percent = percent;
    }

    /**
     * A threshold of {@code bytes} free bytes.
     *
     * @param bytes a positive number of bytes
     * @return the threshold
     * @throws IllegalArgumentException if {@code bytes} is zero or negative
     */
    public static DiskSpaceThreshold bytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a disk space threshold needs a positive number of bytes, got " + bytes);
        }
        return new DiskSpaceThreshold(bytes, Double.NaN);
    }

    /**
     * A threshold of {@code percent} of the file system's size free.
     *
     * @param percent more than 0 and less than 100
     * @return the threshold
     * @throws IllegalArgumentException if {@code percent} is not above 0 and below 100
     */
    public static DiskSpaceThreshold percent(double percent) {
        if (!(percent > 0 && percent < 100)) {
            throw new IllegalArgumentException("a disk space threshold in percent must be above 0 and below 100, got " + percent);
        }
        return new DiskSpaceThreshold(-1, percent);
    }

    /**
     * Reads a threshold as written in configuration: a percentage ({@code 10%}, {@code 2.5%}) or a
     * size, in bytes without a unit ({@code 1048576}) or with one: {@code KB}, {@code MB},
     * {@code GB}, {@code TB} (powers of 1000) or {@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}
     * (powers of 1024), any case, with or without a space ({@code 500MB}, {@code 2 GiB}).
     *
     * @param text the threshold
     * @return the threshold
     * @throws IllegalArgumentException naming {@code text} if it is none of these
     */
    public static DiskSpaceThreshold parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher percent = PERCENT.matcher(text);
        if (percent.matches()) {
            return percent(Double.parseDouble(percent.group(1)));
        }
        Matcher size = SIZE.matcher(text);
        if (!size.matches()) {
            throw new IllegalArgumentException("a disk space threshold is a size such as 500MB or 2GiB, or a percentage such as 10%, got '"
                    + text + "'");
        }
        String unit = size.group(2) == null ? "b" : size.group(2).toLowerCase(Locale.ROOT);
        double multiplier = switch (unit) {
            case "kb" -> 1e3;
            case "mb" -> 1e6;
            case "gb" -> 1e9;
            case "tb" -> 1e12;
            case "kib" -> 1024d;
            case "mib" -> 1024d * 1024;
            case "gib" -> 1024d * 1024 * 1024;
            case "tib" -> 1024d * 1024 * 1024 * 1024;
            default -> 1;
        };
        double value = Double.parseDouble(size.group(1)) * multiplier;
        if (value >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("a disk space threshold is too large, got '" + text + "'");
        }
        if (value < 1) {
            throw new IllegalArgumentException("a disk space threshold needs a positive number of bytes, got '" + text + "'");
        }
        return bytes((long) value);
    }

    /**
     * Whether this threshold is a percentage of the file system's size.
     *
     * @return {@code true} for a percentage, {@code false} for a number of bytes
     */
    public boolean isPercent() {
        return bytes < 0;
    }

    /**
     * The number of free bytes below which this threshold is crossed on a file system of
     * {@code totalBytes}.
     *
     * @param totalBytes the file system's size
     * @return the number of bytes
     */
    public long bytesOf(long totalBytes) {
        return isPercent() ? (long) Math.ceil(totalBytes * percent / 100) : bytes;
    }

    /** Whether both are of one kind and this one asks for more free space than {@code other}. */
    boolean isAboveSameKind(DiskSpaceThreshold other) {
        return isPercent() ? percent > other.percent : bytes > other.bytes;
    }

    boolean isSameKind(DiskSpaceThreshold other) {
        return isPercent() == other.isPercent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiskSpaceThreshold t && t.bytes == bytes && Double.compare(t.percent, percent) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bytes, percent);
    }

    /**
     * The threshold as messages show it.
     *
     * @return e.g. {@code 10%} or {@code 512.0 MiB}
     */
    @Override
    public String toString() {
        if (isPercent()) {
            return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
        }
        return DiskSpaceCheck.size(bytes);
    }
}
