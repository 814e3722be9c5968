package dev.dockerflow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one check reported in one heartbeat: its messages, the level they make, how its
 * run ended, how long it took, and whether the result was reused from an earlier run.
 *
 * <p>The level is always the highest level among the messages ({@link Level#OK} when there
 * are none); no factory lets the two disagree. Immutable and thread-safe.
 */
public final class CheckResult {

    /** How a check's run ended. */
    public enum Outcome {
        /** The check returned its messages. */
        COMPLETED,
        /** The check threw; reported as {@code dockerflow.health.E012}. */
        FAILED,
        /** The check outlived its timeout; reported as {@code dockerflow.health.E011}. */
        TIMED_OUT
    }

    private final String name;
    private final Level level;
    private final List<CheckMessage> messages;
    private final Duration duration;
    private final Outcome outcome;
    private final boolean cached;

    private CheckResult(String name, List<CheckMessage> messages, Duration duration, Outcome outcome, boolean cached) {
        this.name = Objects.requireNonNull(name, "name");
        this.messages = List.copyOf(messages);
        this.duration = Objects.requireNonNull(duration, "duration");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.cached = cached;
        Level highest = Level.OK;
        for (CheckMessage m : this.messages) {
            highest = highest.max(m.level());
        }
        this.level = highest;
    }

    /**
     * A fresh result.
     *
     * @param name the check's registered name
     * @param outcome how the run ended
     * @param messages the messages to report (silenced ones already dropped)
     * @param duration how long the check ran; for a timed-out check, its timeout
     * @return the result
     */
    public static CheckResult of(String name, Outcome outcome, List<CheckMessage> messages, Duration duration) {
        return new CheckResult(name, messages, duration, outcome, false);
    }

    /**
     * A fresh result of a check that returned {@code messages}.
     *
     * @param name the check's registered name
     * @param messages what it found
     * @param duration how long it ran
     * @return the result
     */
    public static CheckResult completed(String name, List<CheckMessage> messages, Duration duration) {
        return of(name, Outcome.COMPLETED, messages, duration);
    }

    /**
     * This result as reused by a later heartbeat instead of running the check again.
     *
     * @return a copy that is {@link #cached()}, or this result if it already is
     */
    public CheckResult asCached() {
        return cached ? this : new CheckResult(name, messages, duration, outcome, true);
    }

    /**
     * The check's registered name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The highest level among {@link #messages()}, {@link Level#OK} when there are none.
     *
     * @return the level
     */
    public Level level() {
        return level;
    }

    /**
     * The messages, after silenced ids were dropped.
     *
     * @return an immutable list
     */
    public List<CheckMessage> messages() {
        return messages;
    }

    /**
     * How long the check ran (for a cached result: the run it reuses; for a timed-out
     * check: its timeout).
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Whether the check returned, threw, or timed out.
     *
     * @return the outcome
     */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Whether this result was reused from an earlier run of the check (the check's cache
     * duration had not passed), rather than found by a run for this heartbeat. A result
     * shared with concurrent heartbeats from the one run in flight is not cached.
     *
     * @return {@code true} when reused
     */
    public boolean cached() {
        return cached;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckResult r && name.equals(r.name) && messages.equals(r.messages)
                && duration.equals(r.duration) && outcome == r.outcome && cached == r.cached;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, messages, duration, outcome, cached);
    }

    @Override
    public String toString() {
        return "CheckResult[" + name + ", " + level.text() + ", " + outcome + (cached ? ", cached" : "")
                + ", " + duration.toMillis() + " ms, " + messages + "]";
    }
}
