package dev.dockerflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The named checks of one service, in registration order, each with its
 * {@link CheckOptions}.
 *
 * <p>Each registry is its own instance, built once with {@link #builder()}; there is
 * no global registry. Names are required and unique: they are the keys of the
 * heartbeat payload and the tags of heartbeat metrics. Immutable and thread-safe.
 */
public final class CheckRegistry {

    private final List<Registration> registrations;

    private CheckRegistry(List<Registration> registrations) {
        this.registrations = List.copyOf(registrations);
    }

    /**
     * Starts an empty registry.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A registry with no checks: the heartbeat always passes.
     *
     * @return an empty registry
     */
    public static CheckRegistry empty() {
        return new CheckRegistry(List.of());
    }

    /**
     * The registered checks, in registration order.
     *
     * @return an immutable list
     */
    public List<Registration> registrations() {
        return registrations;
    }

    /**
     * The registered names, in registration order.
     *
     * @return an immutable list
     */
    public List<String> names() {
        return registrations.stream().map(Registration::name).toList();
    }

    /**
     * How many checks are registered.
     *
     * @return the count
     */
    public int size() {
        return registrations.size();
    }

    /**
     * One registered check: its name, the check, and how it is run. Immutable.
     */
    public static final class Registration {
        private final String name;
        private final Check check;
        private final CheckOptions options;

        private Registration(String name, Check check, CheckOptions options) {
            this.name = name;
            this.check = check;
            this.options = options;
        }

        /**
         * The check's name.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * The check.
         *
         * @return the check
         */
        public Check check() {
            return check;
        }

        /**
         * How the check is run: its own timeout and cache duration when it has them, and
         * whether it is non-critical.
         *
         * @return the options
         */
        public CheckOptions options() {
            return options;
        }

        /**
         * The check's own timeout, when it overrides the default.
         *
         * @return the timeout
         */
        public Optional<Duration> timeout() {
            return options.timeout();
        }

        @Override
        public String toString() {
            return "Registration[" + name + ", " + options + "]";
        }
    }

    /** Collects checks; not thread-safe, build on one thread. */
    public static final class Builder {
        private final List<Registration> registrations = new ArrayList<>();
        private final Set<String> names = new HashSet<>();

        private Builder() {
        }

        /**
         * Adds a check that uses the default options (the service's timeout and cache
         * duration; critical).
         *
         * @param name unique, non-blank name, e.g. {@code database}
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or already registered
         */
        public Builder add(String name, Check check) {
            return add(name, CheckOptions.defaults(), check);
        }

        /**
         * Adds a check with its own timeout.
         *
         * @param name unique, non-blank name
         * @param timeout how long the check may run; from 1 ms to one hour
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or taken, or the timeout is out of range
         */
        public Builder add(String name, Duration timeout, Check check) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(DockerflowConfig.MAX_CHECK_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "timeout of check '" + name + "' must be from 1 ms to one hour, got " + timeout);
            }
            return add(name, CheckOptions.builder().timeout(timeout).build(), check);
        }

        /**
         * Adds a check with its own options: timeout, cache duration, non-critical.
         *
         * @param name unique, non-blank name
         * @param options how the check is run
         * @param check the check
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or already registered
         */
        public Builder add(String name, CheckOptions options, Check check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(check, "check");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a check needs a non-blank name");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("a check named '" + name + "' is already registered");
            }
            registrations.add(new Registration(name, check, options));
            return this;
        }

        /**
         * Adds every check of another registry, keeping their names and options.
         *
         * @param other checks to add
         * @return this builder
         * @throws IllegalArgumentException if a name is already registered
         */
        public Builder addAll(CheckRegistry other) {
            for (Registration r : other.registrations) {
                add(r.name, r.options, r.check);
            }
            return this;
        }

        /**
         * Builds the registry.
         *
         * @return an immutable registry
         */
        public CheckRegistry build() {
            return new CheckRegistry(Collections.unmodifiableList(new ArrayList<>(registrations)));
        }
    }
}
