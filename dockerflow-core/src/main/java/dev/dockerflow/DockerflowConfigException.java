package dev.dockerflow;

import java.io.Serial;
import java.util.List;

/**
 * A configuration value that does not parse. The message names every bad variable
 * and its value, e.g. {@code DOCKERFLOW_CHECK_TIMEOUT_MS="3s" is not valid: expected
 * a positive whole number of milliseconds}. Thrown at start-up, never later.
 */
public class DockerflowConfigException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The problems, one per bad value. */
    private final transient List<String> problems;

    DockerflowConfigException(List<String> problems) {
        super(problems.size() == 1
                ? "Invalid Dockerflow configuration: " + problems.get(0)
                : "Invalid Dockerflow configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, one per bad value.
     *
     * @return the problems
     */
    public List<String> problems() {
        return problems;
    }
}
