package dev.dockerflow.examples.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An example service as shipped, with its defaults, against a Redis that accepts
 * connections and never answers: one heartbeat, then 50 at once, while a load balancer
 * probes {@code /__lbheartbeat__} and clients use the application. The heartbeats wait for
 * the Redis check's timeout; nothing else waits for the heartbeats. An example's test
 * extends this and names its main class.
 */
@Timeout(120)
public abstract class HeartbeatStormTest {

    /** The longest check timeout of the examples as shipped ({@code DOCKERFLOW_CHECK_TIMEOUT_MS} default). */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration PROBE_LIMIT = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int STORM = 50;
    private static final int PROBES = 20;

    /**
     * The service's main class.
     *
     * @return a fully qualified class name
     */
    protected abstract String mainClass();

    /**
     * An application route that uses the database only.
     *
     * @return the path; {@code /notes} unless overridden
     */
    protected String applicationPath() {
        return "/notes";
    }

    /** What one storm found: the probes' and the heartbeats' answers, and the Redis connections the checks opened. */
    private record Storm(List<PendingGet.Answer> probes, List<PendingGet.Answer> heartbeats, int redisConnections) {
    }

    @Test
    void aHeartbeatStormAgainstARedisThatNeverAnswersDelaysNeitherProbesNorTheApplication() throws Exception {
        try (Blackhole redis = Blackhole.start();
             ServiceProcess service = ServiceProcess.start(mainClass(),
                     Map.of("REDIS_URL", "redis://127.0.0.1:" + redis.port()))) {
            int port = Integer.parseInt(service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));
            // a fresh JVM loads and compiles code on its first requests: a first storm warms the
            // service up, as any service in production is; the second one is measured
            storm(port, redis);
            Storm storm = storm(port, redis);
            System.out.printf("heartbeat storm: slowest probe %d ms, slowest heartbeat %d ms, %d Redis connections%n",
                    storm.probes().stream().mapToLong(p -> p.took().toMillis()).max().orElse(-1),
                    storm.heartbeats().stream().mapToLong(h -> h.took().toMillis()).max().orElse(-1),
                    storm.redisConnections());
            assertThat(storm.probes()).as("probes during the storm").allSatisfy(probe -> {
                assertThat(probe.status()).as(probe.path()).isEqualTo(200);
                assertThat(probe.took()).as(probe.path()).isLessThanOrEqualTo(PROBE_LIMIT);
            });
            assertThat(storm.heartbeats()).as("heartbeats").hasSize(STORM + 1).allSatisfy(heartbeat -> {
                assertThat(heartbeat.status()).isEqualTo(500);
                assertThat(heartbeat.took()).isLessThanOrEqualTo(CHECK_TIMEOUT.plusSeconds(1));
            });
            assertThat(storm.redisConnections()).as("connections the Redis check opened for %d heartbeats", STORM + 1)
                    .isBetween(1, 2);
        }
    }

    /** One heartbeat, then 50 more once its Redis check has connected, and the probes meanwhile. */
    private Storm storm(int port, Blackhole redis) throws Exception {
        // connections made before (its Redis client may connect at start-up) are not this storm's
        int before = redis.connections();
        List<PendingGet> heartbeats = new ArrayList<>();
        try {
            heartbeats.add(PendingGet.send(port, "/__heartbeat__"));
            assertThat(redis.awaitConnections(before + 1, WAIT.toMillis())).as("the Redis check connected").isTrue();
            // every heartbeat of the storm is on the wire before the first probe
            for (int i = 0; i < STORM; i++) {
                heartbeats.add(PendingGet.send(port, "/__heartbeat__"));
            }
            List<PendingGet.Answer> probes = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                for (String path : List.of("/__lbheartbeat__", applicationPath())) {
                    probes.add(PendingGet.send(port, path).await());
                }
            }
            assertThat(heartbeats).as("heartbeats still waiting for Redis while the probes were answered")
                    .anyMatch(h -> !h.answered());
            List<PendingGet.Answer> answered = new ArrayList<>();
            for (PendingGet heartbeat : heartbeats) {
                answered.add(heartbeat.await());
            }
            return new Storm(probes, answered, redis.connections() - before);
        } finally {
            for (PendingGet heartbeat : heartbeats) {
                heartbeat.close();
            }
        }
    }
}
