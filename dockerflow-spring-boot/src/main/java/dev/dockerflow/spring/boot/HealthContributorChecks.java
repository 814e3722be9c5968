package dev.dockerflow.spring.boot;

import dev.dockerflow.Check;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A Spring Boot health contributor as a Dockerflow check. Each run asks the indicator (or
 * every indicator of a composite) for its health and reports one message per indicator whose
 * status is not {@code UP}, at the level its status maps to:
 *
 * <table>
 *   <caption>Levels and ids</caption>
 *   <tr><th>status (default)</th><th>level</th><th>id</th></tr>
 *   <tr><td>{@code DOWN}, {@code OUT_OF_SERVICE}</td><td>error</td><td>{@value #ERROR_ID} (also for critical)</td></tr>
 *   <tr><td>{@code UNKNOWN}, any other status</td><td>warning</td><td>{@value #WARNING_ID}</td></tr>
 *   <tr><td>(when mapped so)</td><td>debug, info</td><td>{@value #INFO_ID}</td></tr>
 * </table>
 *
 * <p>The text is {@code Health indicator <name> is <STATUS>}, then the indicator's
 * {@code error} detail when it has one. {@code dockerflow.actuator-health.levels.<STATUS>}
 * changes a status's level ({@code ok} drops the message).
 */
final class HealthContributorChecks implements Check {

    /** Id of a health status at error or critical level. */
    static final String ERROR_ID = "dockerflow.health.E020";
    /** Id of a health status at warning level. */
    static final String WARNING_ID = "dockerflow.health.W006";
    /** Id of a health status at debug or info level. */
    static final String INFO_ID = "dockerflow.health.I003";

    private final String name;
    private final HealthContributor contributor;
    private final Map<String, Level> levels;

    private HealthContributorChecks(String name, HealthContributor contributor, Map<String, Level> levels) {
        this.name = name;
        this.contributor = contributor;
        this.levels = levels;
    }

    String name() {
        return name;
    }

    /** One check per contributor bean, but those excluded by name, in bean order. */
    static List<HealthContributorChecks> from(Map<String, HealthContributor> beans, DockerflowProperties.ActuatorHealth settings) {
        Map<String, Level> levels = levels(settings.getLevels());
        List<HealthContributorChecks> checks = new ArrayList<>();
        beans.forEach((beanName, contributor) -> {
            String name = contributorName(beanName);
            if (!settings.getExclude().contains(name) && !settings.getExclude().contains(beanName)) {
                checks.add(new HealthContributorChecks(name, contributor, levels));
            }
        });
        return checks;
    }

    /** Actuator's naming: the bean name without a {@code HealthIndicator} or {@code HealthContributor} suffix. */
    static String contributorName(String beanName) {
        for (String suffix : List.of("HealthIndicator", "HealthContributor")) {
            if (beanName.length() > suffix.length() && beanName.toLowerCase(Locale.ROOT).endsWith(suffix.toLowerCase(Locale.ROOT))) {
                return beanName.substring(0, beanName.length() - suffix.length());
            }
        }
        return beanName;
    }

    private static Map<String, Level> levels(Map<String, String> configured) {
        Map<String, Level> levels = new HashMap<>();
        levels.put(Status.UP.getCode(), Level.OK);
        levels.put(Status.DOWN.getCode(), Level.ERROR);
        levels.put(Status.OUT_OF_SERVICE.getCode(), Level.ERROR);
        levels.put(Status.UNKNOWN.getCode(), Level.WARNING);
        configured.forEach((status, level) -> levels.put(status.toUpperCase(Locale.ROOT), parse(status, level)));
        return Map.copyOf(levels);
    }

    private static Level parse(String status, String level) {
        for (Level candidate : Level.values()) {
            if (candidate.text().equalsIgnoreCase(level.strip())) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("dockerflow.actuator-health.levels." + status + "=\"" + level
                + "\" is not valid: expected one of ok, debug, info, warning, error, critical");
    }

    @Override
    public List<CheckMessage> run() {
        List<CheckMessage> messages = new ArrayList<>();
        collect(name, contributor, messages);
        return messages;
    }

    private void collect(String path, HealthContributor contributor, List<CheckMessage> messages) {
        if (contributor instanceof HealthIndicator indicator) {
            Health health = indicator.health(true); // with details: the "error" detail explains a DOWN
            report(path, health, messages);
        } else if (contributor instanceof CompositeHealthContributor composite) {
            for (HealthContributors.Entry entry : composite) {
                collect(path + "/" + entry.name(), entry.contributor(), messages);
            }
        }
    }

    private void report(String path, Health health, List<CheckMessage> messages) {
        Status status = health == null ? Status.UNKNOWN : health.getStatus();
        Level level = levels.getOrDefault(status.getCode(), Level.WARNING);
        if (level == Level.OK) {
            return;
        }
        String text = "Health indicator " + path + " is " + status.getCode();
        Object error = health == null ? null : health.getDetails().get("error");
        if (error != null) {
            text += ": " + error;
        }
        String id = level.value() >= Level.ERROR.value() ? ERROR_ID : level == Level.WARNING ? WARNING_ID : INFO_ID;
        messages.add(CheckMessage.of(level, id, text));
    }
}
