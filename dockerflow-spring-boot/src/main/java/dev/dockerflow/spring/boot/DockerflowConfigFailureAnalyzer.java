package dev.dockerflow.spring.boot;

import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.DockerflowConfigException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped by a bad Dockerflow value: the description is the contract's
 * message (naming every bad variable and its value), the action names the environment
 * variable and the property that set it.
 */
final class DockerflowConfigFailureAnalyzer extends AbstractFailureAnalyzer<DockerflowConfigException> {

    DockerflowConfigFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DockerflowConfigException cause) {
        List<String> settings = new ArrayList<>();
        for (String problem : cause.problems()) {
            for (String variable : DockerflowConfig.VARIABLES) {
                if (problem.startsWith(variable + "=")) {
                    settings.add(variable + " (environment) or " + ConfigSource.propertyOf(variable) + " (property)");
                }
            }
        }
        String action = settings.isEmpty()
                ? "Correct the Dockerflow configuration; docs/contract.md section 5 lists the accepted values."
                : "Correct " + String.join(", ", settings) + "; docs/contract.md section 5 lists the accepted values.";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
