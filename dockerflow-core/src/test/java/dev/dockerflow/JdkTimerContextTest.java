package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's timer thread behind {@code completeOnTimeout} is started once per JVM and keeps
 * the context class loader of the thread that asked for the first timeout. Each case runs
 * in a fresh JVM, where no timer has started yet, from a thread whose context class loader
 * stands for a web application's.
 */
@Timeout(120)
class JdkTimerContextTest {

    @Test
    void aTimeoutAskedForFromAnApplicationThreadPinsItsClassLoaderInTheJdk() throws Exception {
        // the probe sees the leak the heartbeat avoids
        assertThat(runInFreshJvm("plain")).startsWith("pinned by ");
    }

    @Test
    void heartbeatsWithTimeoutsLeaveNoThreadHoldingTheApplicationsClassLoader() throws Exception {
        assertThat(runInFreshJvm("heartbeat")).isEqualTo("clean");
    }

    private static String runInFreshJvm(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Runs in the fresh JVM; prints which threads hold the application's class loader. */
    public static final class Probe {
        private Probe() {
        }

        public static void main(String[] args) {
            ClassLoader application = new URLClassLoader("application", new URL[0], Probe.class.getClassLoader());
            Thread.currentThread().setContextClassLoader(application);
            if (args[0].equals("heartbeat")) {
                Heartbeat heartbeat = Heartbeat.create(CheckRegistry.builder()
                                .add("hangs", Duration.ofMillis(20), () -> {
                                    new CountDownLatch(1).await();
                                    return List.of();
                                })
                                .add("quick", List::of)
                                .build(),
                        Duration.ofSeconds(3), Duration.ZERO, Set.of(), List.of(), System::nanoTime);
                heartbeat.run();
                heartbeat.runAsync().join();
                heartbeat.close();
            } else {
                new CompletableFuture<Void>().completeOnTimeout(null, 20, TimeUnit.MILLISECONDS).join();
            }
            List<String> holders = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t != Thread.currentThread() && t.getContextClassLoader() == application)
                    .map(Thread::getName)
                    .toList();
            System.out.println(holders.isEmpty() ? "clean" : "pinned by " + holders);
        }
    }
}
