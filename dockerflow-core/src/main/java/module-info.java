/**
 * Dockerflow for JVM web services: the whole contract without a web framework - levels,
 * checks and their runner, version providers, request summaries and IDs, mozlog, and
 * configuration. Adapters and applications use {@code dev.dockerflow}; applications
 * that log through {@code java.util.logging} may use {@code dev.dockerflow.logging}. The
 * implementation packages are not exported.
 */
module dev.dockerflow.core {
    requires com.fasterxml.jackson.databind;
    requires transitive java.logging;

    exports dev.dockerflow;
    exports dev.dockerflow.logging;
}
