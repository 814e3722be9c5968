package dev.dockerflow;

import dev.dockerflow.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one heartbeat run: every check's result in registration order and
 * the overall level. Renders the Dockerflow heartbeat payload. Immutable and thread-safe.
 */
public final class HeartbeatReport {

    private final List<CheckResult> results;
    private final Level level;
    private final Duration duration;

    private HeartbeatReport(List<CheckResult> results, Duration duration) {
        this.results = List.copyOf(results);
        this.duration = Objects.requireNonNull(duration, "duration");
        Level highest = Level.OK;
        for (CheckResult r : this.results) {
            highest = highest.max(r.level());
        }
        this.level = highest;
    }

    /**
     * A report of the given results.
     *
     * @param results per-check results, in registration order
     * @param duration how long the whole run took
     * @return the report
     */
    public static HeartbeatReport of(List<CheckResult> results, Duration duration) {
        return new HeartbeatReport(results, duration);
    }

    /**
     * The highest level of any check.
     *
     * @return the overall level
     */
    public Level level() {
        return level;
    }

    /**
     * Whether the heartbeat passed: the overall level is below {@link Level#ERROR}.
     *
     * @return {@code true} when passed
     */
    public boolean passed() {
        return !level.isFailure();
    }

    /**
     * Every check's result, in registration order.
     *
     * @return an immutable list
     */
    public List<CheckResult> results() {
        return results;
    }

    /**
     * The result of the check with the given name.
     *
     * @param name a registered name
     * @return its result, or empty if no such check ran
     */
    public Optional<CheckResult> result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * How long the run took, from its start until the last result was in.
     *
     * @return the duration
     */
    public Duration duration() {
        return duration;
    }

    /**
     * The heartbeat payload as UTF-8 JSON:
     * {@code {"status":..,"checks":{..},"details":{..}}}, with {@code checks} in
     * registration order and {@code details} holding only checks above {@code ok};
     * or {@code {"status":..}} alone when details are hidden.
     *
     * @param showDetails {@code false} for the status-only payload
     * @return the JSON bytes
     */
    public byte[] toJson(boolean showDetails) {
        Json json = Json.create(64 + results.size() * 48);
        json.beginObject().member("status", level.text());
        if (showDetails) {
            json.beginObject("checks");
            for (CheckResult r : results) {
                json.member(r.name(), r.level().text());
            }
            json.endObject().beginObject("details");
            for (CheckResult r : results) {
                if (r.level() == Level.OK) {
                    continue;
                }
                json.beginObject(r.name())
                        .member("status", r.level().text())
                        .member("level", r.level().value())
                        .beginObject("messages");
                // one member per id; a repeated id keeps its last text, as a JSON object must
                Map<String, String> messages = new LinkedHashMap<>();
                for (CheckMessage m : r.messages()) {
                    messages.put(m.id(), m.text());
                }
                messages.forEach(json::member);
                json.endObject().endObject();
            }
            json.endObject();
        }
        json.endObject();
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "HeartbeatReport[" + level.text() + ", " + results + "]";
    }
}
