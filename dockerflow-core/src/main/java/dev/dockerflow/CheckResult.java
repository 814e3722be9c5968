package dev.dockerflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one check reported in one heartbeat run. Immutable and thread-safe.
 *
 * @param name the check's registered name
 * @param level the highest level among {@code messages}, {@link Level#OK} when there are none
 * @param messages the messages left after silenced ids were dropped
 * @param duration how long the check ran (for a timed-out check: how long it was waited for)
 * @param outcome whether the check returned, threw, or timed out
 */
public record CheckResult(String name, Level level, List<CheckMessage> messages, Duration duration, Outcome outcome) {

    /** How a check's run ended. */
    public enum Outcome {
        /** The check returned its messages. */
        COMPLETED,
        /** The check threw; reported as {@code dockerflow.health.E012}. */
        FAILED,
        /** The check outlived its timeout; reported as {@code dockerflow.health.E011}. */
        TIMED_OUT
    }

    /**
     * Validates and copies the components.
     *
     * @param name the check's registered name
     * @param level the highest level among {@code messages}
     * @param messages the messages
     * @param duration how long the check ran
     * @param outcome how the run ended
     */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        messages = List.copyOf(messages);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * The result of a check that returned {@code messages}: its level is the highest
     * of theirs.
     *
     * @param name the check's name
     * @param messages what it found
     * @param duration how long it ran
     * @return the result
     */
    public static CheckResult completed(String name, List<CheckMessage> messages, Duration duration) {
        return new CheckResult(name, highest(messages), messages, duration, Outcome.COMPLETED);
    }

    static Level highest(List<CheckMessage> messages) {
        Level level = Level.OK;
        for (CheckMessage m : messages) {
            level = level.max(m.level());
        }
        return level;
    }
}
