package dev.dockerflow;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the heartbeat runs one check: its timeout, how long its result may be reused,
 * and whether its failure may fail the heartbeat.
 *
 * <pre>{@code
 * CheckOptions.builder()
 *         .timeout(Duration.ofSeconds(2))     // default: DOCKERFLOW_CHECK_TIMEOUT_MS
 *         .cacheFor(Duration.ofSeconds(10))   // default: DOCKERFLOW_CHECK_CACHE_MS (0, off)
 *         .nonCritical()                      // its timeout and exception are warnings
 *         .build();
 * }</pre>
 *
 * <p>An unset timeout or cache duration falls back to the service's default. Immutable and
 * thread-safe.
 */
public final class CheckOptions {

    /** The longest cache duration accepted. */
    public static final Duration MAX_CACHE = Duration.ofHours(1);

    private static final CheckOptions DEFAULTS = new CheckOptions(null, null, false);

    private final Duration timeout;
    private final Duration cacheFor;
    private final boolean nonCritical;

    private CheckOptions(Duration timeout, Duration cacheFor, boolean nonCritical) {
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.nonCritical = nonCritical;
    }

    /**
     * Options that take every default: the service's timeout and cache duration, critical.
     *
     * @return the default options
     */
    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Starts options that take every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The check's own timeout, when it overrides the service's default.
     *
     * @return the timeout
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * How long after a run of the check finished a heartbeat reuses its result instead of
     * running the check again, when it overrides the service's default; zero is off.
     *
     * @return the cache duration
     */
    public Optional<Duration> cacheFor() {
        return Optional.ofNullable(cacheFor);
    }

    /**
     * Whether the check is non-critical: when it times out ({@code dockerflow.health.E011}) or
     * throws ({@code dockerflow.health.E012}) that message is a warning, so the check can never
     * fail the heartbeat by itself. Messages the check returns keep their own levels.
     *
     * @return {@code true} when non-critical
     */
    public boolean nonCritical() {
        return nonCritical;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckOptions other && Objects.equals(timeout, other.timeout)
                && Objects.equals(cacheFor, other.cacheFor) && nonCritical == other.nonCritical;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, cacheFor, nonCritical);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("CheckOptions[");
        if (timeout != null) {
            s.append("timeout ").append(timeout.toMillis()).append(" ms, ");
        }
        if (cacheFor != null) {
            s.append("cache ").append(cacheFor.toMillis()).append(" ms, ");
        }
        s.append(nonCritical ? "non-critical" : "critical");
        return s.append(']').toString();
    }

    /** Collects options; not thread-safe, build on one thread. */
    public static final class Builder {
        private Duration timeout;
        private Duration cacheFor;
        private boolean nonCritical;

        private Builder() {
        }

        /**
         * The check's own timeout, instead of the service's default.
         *
         * @param timeout from 1 ms to one hour
         * @return this builder
         * @throws IllegalArgumentException if the timeout is outside that range
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(DockerflowConfig.MAX_CHECK_TIMEOUT) > 0) {
                throw new IllegalArgumentException("a check timeout must be from 1 ms to one hour, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How long after a run finished its result is reused, instead of the service's
         * default; {@link Duration#ZERO} turns the cache off for this check.
         *
         * @param cacheFor from zero to one hour
         * @return this builder
         * @throws IllegalArgumentException if the duration is negative or longer than an hour
         */
        public Builder cacheFor(Duration cacheFor) {
            Objects.requireNonNull(cacheFor, "cacheFor");
            if (cacheFor.isNegative() || cacheFor.compareTo(MAX_CACHE) > 0) {
                throw new IllegalArgumentException("a check cache duration must be from 0 to one hour, got " + cacheFor);
            }
            this.cacheFor = cacheFor;
            return this;
        }

        /**
         * Makes the check non-critical (see {@link CheckOptions#nonCritical()}).
         *
         * @return this builder
         */
        public Builder nonCritical() {
            return nonCritical(true);
        }

        /**
         * Sets whether the check is non-critical (see {@link CheckOptions#nonCritical()}).
         *
         * @param nonCritical {@code true} for non-critical
         * @return this builder
         */
        public Builder nonCritical(boolean nonCritical) {
            this.nonCritical = nonCritical;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public CheckOptions build() {
            return timeout == null && cacheFor == null && !nonCritical
                    ? DEFAULTS
                    : new CheckOptions(timeout, cacheFor, nonCritical);
        }
    }
}
