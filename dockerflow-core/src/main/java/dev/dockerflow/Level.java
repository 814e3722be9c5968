package dev.dockerflow;

/**
 * Severity of a check message, with the numbers and texts of the Dockerflow
 * heartbeat payload (and of python-dockerflow).
 *
 * <p>A heartbeat passes while its highest level is below {@link #ERROR}. Immutable and
 * thread-safe.
 */
public enum Level {
    /** No message: the check is healthy. */
    OK(0, "ok"),
    /** Diagnostic detail. */
    DEBUG(10, "debug"),
    /** Worth knowing, nothing wrong. */
    INFO(20, "info"),
    /** Degraded, still serving. */
    WARNING(30, "warning"),
    /** Broken: the heartbeat fails. */
    ERROR(40, "error"),
    /** Badly broken: the heartbeat fails. */
    CRITICAL(50, "critical");

    private final int value;
    private final String text;

    Level(int value, String text) {
        this.value = value;
        this.text = text;
    }

    /**
     * The number of this level in the heartbeat payload.
     *
     * @return 0, 10, 20, 30, 40 or 50
     */
    public int value() {
        return value;
    }

    /**
     * The text of this level in the heartbeat payload.
     *
     * @return {@code ok}, {@code debug}, {@code info}, {@code warning}, {@code error} or {@code critical}
     */
    public String text() {
        return text;
    }

    /**
     * Whether a heartbeat at this level fails ({@code ERROR} or above).
     *
     * @return {@code true} for {@link #ERROR} and {@link #CRITICAL}
     */
    public boolean isFailure() {
        return value >= ERROR.value;
    }

    /**
     * The higher of this level and {@code other}.
     *
     * @param other another level
     * @return the more severe of the two
     */
    public Level max(Level other) {
        return other.value > value ? other : this;
    }

    /**
     * The payload text of any level number: the text of the matching level, or
     * {@code unknown} for a number that is no level.
     *
     * @param value a level number
     * @return its text
     */
    public static String textOf(int value) {
        for (Level level : values()) {
            if (level.value == value) {
                return level.text;
            }
        }
        return "unknown";
    }
}
