package dev.dockerflow.lifecycle;

import dev.dockerflow.ActiveRequest;
import dev.dockerflow.CheckMessage;
import dev.dockerflow.Dockerflow;
import dev.dockerflow.DockerflowConfig;
import dev.dockerflow.RequestView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What one application does with the library between its start and its stop, repeated:
 * builds a {@link Dockerflow} with the default stdout summaries, serves heartbeats (one
 * of them with a check that outlives its timeout), the other endpoints and an application
 * route, then closes it. Loaded by a child class loader in {@link LifecycleTest}, as a
 * servlet container loads a web application, so the test can see whether anything keeps
 * that loader alive. Returns how many requests it served.
 */
public final class LifecycleScenario implements IntSupplier {

    private static final List<String> PATHS = List.of("/__lbheartbeat__", "/__heartbeat__", "/__version__", "/items");

    /** Instances built and closed by one run. */
    public static final int INSTANCES = 100;

    @Override
    public int getAsInt() {
        int served = 0;
        for (int i = 0; i < INSTANCES; i++) {
            Dockerflow dockerflow = Dockerflow.builder()
                    .config(DockerflowConfig.builder().environment(Map.of()).build())
                    .check("quick", () -> List.of(CheckMessage.warning("lifecycle.W001", "fine")))
                    .check("slow", Duration.ofMillis(1), () -> {
                        Thread.sleep(20); // a backend slower than the check's timeout
                        return List.of();
                    })
                    .build();
            try (dockerflow) {
                for (String path : PATHS) {
                    try (ActiveRequest request = dockerflow.startRequest(get(path))) {
                        int status = request.isDockerflowPath() ? request.answer().status() : 200;
                        request.complete(status, null);
                        served++;
                    }
                }
                dockerflow.heartbeat();
            }
        }
        return served;
    }

    private static RequestView get(String path) {
        return new RequestView() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String rawPath() {
                return path;
            }

            @Override
            public Optional<String> rawQuery() {
                return Optional.empty();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }
        };
    }
}
