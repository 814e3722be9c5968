/**
 * HTTP benchmark servers: Dockerflow on Helidon and on Jersey (Grizzly) beside the
 * peers measured in the same run, driven by {@code benchmarks/run.sh}
 * (docs/benchmarks.md).
 */
package dev.dockerflow.benchmarks.http;
