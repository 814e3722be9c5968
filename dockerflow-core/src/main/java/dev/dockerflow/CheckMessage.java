package dev.dockerflow;

import java.util.Objects;
import java.util.Optional;

/**
 * One finding of a check: a level, an id such as {@code dockerflow.health.E004},
 * a text and an optional hint.
 *
 * <p>Secrets are removed from the text and the hint when the message is made
 * ({@link Secrets#redact(String)}), so a password in a connection URL never reaches
 * a heartbeat payload or a log line. Immutable and thread-safe.
 */
public final class CheckMessage {

    private final Level level;
    private final String id;
    private final String text;
    private final String hint;

    private CheckMessage(Level level, String id, String text, String hint) {
        this.level = Objects.requireNonNull(level, "level");
        this.id = Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (level == Level.OK) {
            throw new IllegalArgumentException("a check message needs a level above OK, got OK for id " + id);
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException("a check message needs a non-blank id");
        }
        this.text = Secrets.redact(text);
        this.hint = hint == null ? null : Secrets.redact(hint);
    }

    /**
     * A message at any level above {@link Level#OK}.
     *
     * @param level the level; not {@code OK}
     * @param id the message id, e.g. {@code acme.health.E001}
     * @param text what was found
     * @return the message
     * @throws IllegalArgumentException if {@code level} is {@code OK} or {@code id} is blank
     */
    public static CheckMessage of(Level level, String id, String text) {
        return new CheckMessage(level, id, text, null);
    }

    /**
     * A {@link Level#DEBUG} message.
     *
     * @param id the message id
     * @param text what was found
     * @return the message
     */
    public static CheckMessage debug(String id, String text) {
        return of(Level.DEBUG, id, text);
    }

    /**
     * An {@link Level#INFO} message.
     *
     * @param id the message id
     * @param text what was found
     * @return the message
     */
    public static CheckMessage info(String id, String text) {
        return of(Level.INFO, id, text);
    }

    /**
     * A {@link Level#WARNING} message.
     *
     * @param id the message id
     * @param text what was found
     * @return the message
     */
    public static CheckMessage warning(String id, String text) {
        return of(Level.WARNING, id, text);
    }

    /**
     * An {@link Level#ERROR} message: the heartbeat fails.
     *
     * @param id the message id
     * @param text what was found
     * @return the message
     */
    public static CheckMessage error(String id, String text) {
        return of(Level.ERROR, id, text);
    }

    /**
     * A {@link Level#CRITICAL} message: the heartbeat fails.
     *
     * @param id the message id
     * @param text what was found
     * @return the message
     */
    public static CheckMessage critical(String id, String text) {
        return of(Level.CRITICAL, id, text);
    }

    /**
     * A copy of this message with a hint telling a person what to do about it.
     *
     * @param hint the hint
     * @return a new message
     */
    public CheckMessage withHint(String hint) {
        return new CheckMessage(level, id, text, Objects.requireNonNull(hint, "hint"));
    }

    /**
     * The level.
     *
     * @return the level, never {@code OK}
     */
    public Level level() {
        return level;
    }

    /**
     * The id.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The text, secrets redacted.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * The hint, secrets redacted, if one was given.
     *
     * @return the hint
     */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckMessage m
                && level == m.level && id.equals(m.id) && text.equals(m.text) && Objects.equals(hint, m.hint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(level, id, text, hint);
    }

    @Override
    public String toString() {
        return level.text() + " " + id + ": " + text + (hint == null ? "" : " (hint: " + hint + ")");
    }
}
