package dev.dockerflow;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the heartbeat itself says about one check, and what it logs about it.
 *
 * <ul>
 *   <li>Texts: {@code dockerflow.health.E011} {@code Check timed out after N ms} (for a check
 *       still running from an earlier heartbeat, followed by how long it has been running),
 *       {@code dockerflow.health.E012} {@code Check failed: <class>: <message>}. Both are
 *       ERROR, or WARNING for a non-critical check.</li>
 *   <li>Silenced ids are dropped from every result before its level is computed, and are
 *       not logged.</li>
 *   <li>Logging, on the {@value #LOGGER_NAME} logger: every message of a run once, at its
 *       level, as {@code <id>: <text>} (then {@code  HINT: <hint>}); a check's exception with
 *       its stack trace (secrets in its messages redacted), at ERROR the first time a
 *       failure is seen and at DEBUG while the same failure repeats; a check still hung
 *       at WARNING at most once a minute.</li>
 * </ul>
 *
 * <p>One instance per registered check; thread-safe.
 */
final class CheckOutcomes {

    /** python-dockerflow's name for the logger of check messages. */
    static final String LOGGER_NAME = "dockerflow.checks.registry";

    static final Logger LOGGER = System.getLogger(LOGGER_NAME);

    /** How often a check that stays hung is logged again. */
    static final long HUNG_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String name;
    private final Duration timeout;
    private final Level runnerLevel;
    private final Set<String> silencedIds;
    private final CheckResult timedOut;
    /** E012 text of the failure logged at ERROR most recently; null after a run that completed. */
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    /** Injected-clock time from which a hung check is logged again. */
    private final AtomicLong nextHungLog = new AtomicLong();

    CheckOutcomes(String name, Duration timeout, boolean nonCritical, Set<String> silencedIds) {
        this.name = name;
        this.timeout = timeout;
        this.runnerLevel = nonCritical ? Level.WARNING : Level.ERROR;
        this.silencedIds = silencedIds;
        this.timedOut = result(CheckResult.Outcome.TIMED_OUT,
                List.of(CheckMessage.of(runnerLevel, Heartbeat.TIMEOUT_ID, timeoutText())), timeout);
    }

    /** The result of a run that returned {@code found}. */
    CheckResult completed(List<CheckMessage> found, long nanos) {
        return result(CheckResult.Outcome.COMPLETED, found, Duration.ofNanos(nanos));
    }

    /** The result of a run that threw {@code t}. */
    CheckResult failed(Throwable t, long nanos) {
        return result(CheckResult.Outcome.FAILED,
                List.of(CheckMessage.of(runnerLevel, Heartbeat.FAILURE_ID, "Check failed: " + describe(t))),
                Duration.ofNanos(nanos));
    }

    /**
     * The result given when the timeout passes before the check returns; the same instance
     * every time, so that it can be told apart from a result the check produced.
     */
    CheckResult timedOut() {
        return timedOut;
    }

    /** The result given at once to a heartbeat that finds the check still running past its timeout. */
    CheckResult hung(long runningNanos) {
        String text = timeoutText() + "; it has been running for " + TimeUnit.NANOSECONDS.toMillis(runningNanos) + " ms";
        return result(CheckResult.Outcome.TIMED_OUT, List.of(CheckMessage.of(runnerLevel, Heartbeat.TIMEOUT_ID, text)),
                timeout);
    }

    private String timeoutText() {
        return "Check timed out after " + timeout.toMillis() + " ms";
    }

    private CheckResult result(CheckResult.Outcome outcome, List<CheckMessage> messages, Duration duration) {
        return CheckResult.of(name, outcome, withoutSilenced(messages), duration);
    }

    private List<CheckMessage> withoutSilenced(List<CheckMessage> messages) {
        if (silencedIds.isEmpty() || messages.isEmpty()) {
            return messages;
        }
        List<CheckMessage> kept = new ArrayList<>(messages.size());
        for (CheckMessage m : messages) {
            if (!silencedIds.contains(m.id())) {
                kept.add(m);
            }
        }
        return kept;
    }

    /** Logs each message of a run that returned, and notes that any earlier failure is over. */
    void logCompleted(CheckResult result) {
        lastFailure.set(null);
        for (CheckMessage m : result.messages()) {
            log(levelOf(m.level()), m, null);
        }
    }

    /**
     * Logs the E012 of a run that threw, with the exception: at its level the first time this
     * failure is seen, at DEBUG while the same failure repeats.
     */
    void logFailed(CheckResult result, Throwable t) {
        for (CheckMessage m : result.messages()) {
            boolean repeated = m.text().equals(lastFailure.getAndSet(m.text()));
            Logger.Level level = repeated ? Logger.Level.DEBUG : levelOf(m.level());
            if (isLoggable(level)) {
                log(level, m, redacted(t));
            }
        }
    }

    /** Notes that a run outlived its timeout at {@code now}: while it stays hung, it is logged again from a minute on. */
    void noteTimedOut(long now) {
        nextHungLog.set(now + HUNG_LOG_INTERVAL_NANOS);
    }

    /** Logs the E011 of a run that outlived its timeout. */
    void logTimedOut() {
        for (CheckMessage m : timedOut.messages()) {
            log(levelOf(m.level()), m, null);
        }
    }

    /** Logs {@code hung} at WARNING, unless this hang was logged less than a minute ago. */
    void logHung(CheckResult hung, long now) {
        long due = nextHungLog.get();
        if (now - due >= 0 && nextHungLog.compareAndSet(due, now + HUNG_LOG_INTERVAL_NANOS)) {
            for (CheckMessage m : hung.messages()) {
                log(Logger.Level.WARNING, m, null);
            }
        }
    }

    /** Logs, at DEBUG, that a run answered already (at its timeout, or by a close) has returned. */
    void logLateReturn(long runningNanos) {
        if (isLoggable(Logger.Level.DEBUG)) {
            try {
                LOGGER.log(Logger.Level.DEBUG, "Check '" + name + "' returned after "
                        + TimeUnit.NANOSECONDS.toMillis(runningNanos) + " ms (timeout " + timeout.toMillis()
                        + " ms), after it had been answered; its result was not reported");
            } catch (RuntimeException e) {
                // as in log()
            }
        }
    }

    private static void log(Logger.Level level, CheckMessage m, Throwable t) {
        if (!isLoggable(level)) {
            return;
        }
        String line = m.hint().isPresent() ? m.id() + ": " + m.text() + " HINT: " + m.hint().get() : m.id() + ": " + m.text();
        try {
            if (t == null) {
                LOGGER.log(level, line);
            } else {
                LOGGER.log(level, line, t);
            }
        } catch (RuntimeException e) {
            // a broken logging backend must not break the heartbeat; there is nowhere left to report it
        }
    }

    private static boolean isLoggable(Logger.Level level) {
        try {
            return LOGGER.isLoggable(level);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Logger.Level levelOf(Level level) {
        return switch (level) {
            case OK, DEBUG -> Logger.Level.DEBUG;
            case INFO -> Logger.Level.INFO;
            case WARNING -> Logger.Level.WARNING;
            case ERROR, CRITICAL -> Logger.Level.ERROR;
        };
    }

    static String describe(Throwable t) {
        String type = t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName();
        return t.getMessage() == null ? type : type + ": " + t.getMessage();
    }

    /**
     * {@code t} itself when no message in its chain of causes holds a secret; else a copy of
     * the chain whose messages are redacted ({@link Secrets#redact(String)}) and whose stack
     * traces are the originals, so a password in a driver's message never reaches a log.
     */
    static Throwable redacted(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean secret = false;
        for (Throwable c = t; c != null && chain.size() < 64 && seen.add(c); c = c.getCause()) {
            chain.add(c);
            String message = c.getMessage();
            secret |= message != null && !message.equals(Secrets.redact(message));
        }
        if (!secret) {
            return t;
        }
        Throwable copy = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Throwable original = chain.get(i);
            String message = original.getMessage();
            copy = new RedactedException(original.getClass().getName()
                    + (message == null ? "" : ": " + Secrets.redact(message)), copy, original.getStackTrace());
        }
        return copy;
    }

    /** A copy of a check's exception with its secrets removed; it names the original class. */
    static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message, Throwable cause, StackTraceElement[] stackTrace) {
            super(message, cause, false, true);
            setStackTrace(stackTrace);
        }
    }
}
