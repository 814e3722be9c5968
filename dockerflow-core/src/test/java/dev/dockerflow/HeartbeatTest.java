package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HeartbeatTest {

    private static Heartbeat heartbeat(CheckRegistry.Builder checks) {
        return Heartbeat.builder().checks(checks.build()).build();
    }

    @Test
    void noChecksPassesAtOk() {
        HeartbeatReport report = Heartbeat.builder().build().run();
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.OK);
        assertThat(report.passed()).isTrue();
        assertThat(report.results()).isEmpty();
    }

    @Test
    void checkLevelIsTheHighestOfItsMessagesAndTheReportsTheHighestOfItsChecks() {
        HeartbeatReport report = heartbeat(CheckRegistry.builder()
                .add("quiet", List::of)
                .add("mixed", () -> List.of(CheckMessage.info("a.I1", "fyi"), CheckMessage.warning("a.W1", "hmm")))
                .add("broken", () -> List.of(CheckMessage.debug("a.D1", "x"), CheckMessage.error("a.E1", "down"))))
                .run();
        assertThat(report.results()).extracting(CheckResult::name).containsExactly("quiet", "mixed", "broken");
        assertThat(report.results()).extracting(CheckResult::level)
                .containsExactly(dev.dockerflow.Level.OK, dev.dockerflow.Level.WARNING, dev.dockerflow.Level.ERROR);
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(report.passed()).isFalse();
        assertThat(report.result("mixed").orElseThrow().outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
    }

    @Test
    void warningStillPasses() {
        HeartbeatReport report = heartbeat(CheckRegistry.builder()
                .add("w", () -> List.of(CheckMessage.warning("a.W1", "slow")))).run();
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.WARNING);
        assertThat(report.passed()).isTrue();
    }

    @Test
    void quickChecksShareOneThreadInsteadOfOneThreadEach() {
        Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CheckRegistry.Builder checks = CheckRegistry.builder();
        for (int i = 0; i < 10; i++) {
            checks.add("quick-" + i, () -> {
                threads.add(Thread.currentThread());
                return List.of();
            });
        }
        Heartbeat hb = heartbeat(checks);
        // a runner descheduled for over a millisecond hands checks off; most runs use one thread
        int singleThreadRuns = 0;
        for (int run = 0; run < 50; run++) {
            threads.clear();
            assertThat(hb.run().passed()).isTrue();
            assertThat(threads).doesNotContain(Thread.currentThread());
            if (threads.size() == 1) {
                singleThreadRuns++;
            }
        }
        assertThat(singleThreadRuns).isGreaterThan(25);
    }

    @Test
    void checksQueuedBehindASlowCheckAreHandedThreadsOfTheirOwn() {
        CheckRegistry.Builder checks = CheckRegistry.builder().add("slow", () -> {
            Thread.sleep(1_000);
            return List.of();
        });
        List<Long> finishedAfterMillis = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            checks.add("quick-" + i, () -> {
                finishedAfterMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return List.of();
            });
        }
        HeartbeatReport report = heartbeat(checks).run();
        assertThat(report.passed()).isTrue();
        // registered after the slow one, yet not held back until it returns
        assertThat(finishedAfterMillis).hasSize(4).allSatisfy(ms -> assertThat(ms).isLessThan(500));
        assertThat(report.duration()).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void fiveBlockedChecksAllRunAtOnce() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CheckRegistry.Builder checks = CheckRegistry.builder();
        for (int i = 0; i < 5; i++) {
            checks.add("blocked-" + i, () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                allStarted.countDown();
                release.await();
                running.decrementAndGet();
                return List.of();
            });
        }
        Heartbeat hb = Heartbeat.builder().checks(checks.build()).defaultTimeout(Duration.ofSeconds(20)).build();
        try (ExecutorService caller = Executors.newSingleThreadExecutor()) {
            Future<HeartbeatReport> report = caller.submit(hb::run);
            // Each check waits for the release; they can only all have started if they run concurrently.
            assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).isEqualTo(5);
            release.countDown();
            assertThat(report.get(10, TimeUnit.SECONDS).passed()).isTrue();
        }
    }

    @Test
    void concurrentHeartbeatsShareOneExecutionOfABlockedCheck() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("shared", () -> {
                    executions.incrementAndGet();
                    started.countDown();
                    release.await();
                    return List.of(CheckMessage.warning("a.W1", "shared result"));
                }).build())
                .defaultTimeout(Duration.ofSeconds(30))
                .build();
        List<Future<HeartbeatReport>> reports = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            reports.add(callers.submit(hb::run));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch callersStarted = new CountDownLatch(99);
            for (int i = 0; i < 99; i++) {
                reports.add(callers.submit(() -> {
                    callersStarted.countDown();
                    return hb.run();
                }));
            }
            // let all 99 reach the in-flight execution before it finishes
            assertThat(callersStarted.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            release.countDown();
            for (Future<HeartbeatReport> f : reports) {
                HeartbeatReport r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.result("shared").orElseThrow().messages())
                        .extracting(CheckMessage::text).containsExactly("shared result");
            }
        }
        assertThat(executions.get()).isEqualTo(1);
        // once finished, the next heartbeat runs the check again
        hb.run();
        assertThat(executions.get()).isEqualTo(2);
    }

    @Test
    void aCheckThatNeverReturnsTimesOutWithE011AndTheHeartbeatStillAnswers() {
        CountDownLatch never = new CountDownLatch(1);
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder()
                        .add("hangs", Duration.ofMillis(200), () -> {
                            never.await();
                            return List.of();
                        })
                        .add("fine", List::of)
                        .build())
                .build();
        long start = System.nanoTime();
        HeartbeatReport report = hb.run();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).isBetween(150L, 2_000L);
        CheckResult hangs = report.result("hangs").orElseThrow();
        assertThat(hangs.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(hangs.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(hangs.messages()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("dockerflow.health.E011");
            assertThat(m.text()).isEqualTo("Check timed out after 200 ms");
        });
        assertThat(hangs.duration()).isEqualTo(Duration.ofMillis(200));
        assertThat(report.result("fine").orElseThrow().level()).isEqualTo(dev.dockerflow.Level.OK);
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aCheckThatIgnoresInterruptsKeepsItsSlotSoNoSecondExecutionPilesUp() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("stubborn", Duration.ofMillis(100), () -> {
                    executions.incrementAndGet();
                    while (true) {
                        try {
                            if (release.await(10, TimeUnit.SECONDS)) {
                                return List.of();
                            }
                        } catch (InterruptedException ignored) {
                            // a badly behaved check: ignores the interrupt and keeps waiting
                        }
                    }
                }).build())
                .build();
        for (int i = 0; i < 3; i++) {
            HeartbeatReport r = hb.run();
            assertThat(r.result("stubborn").orElseThrow().messages()).extracting(CheckMessage::id)
                    .containsExactly("dockerflow.health.E011");
        }
        assertThat(executions.get()).isEqualTo(1);
        assertThat(hb.executionsInFlight()).isEqualTo(1);
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hb.executionsInFlight() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(hb.executionsInFlight()).isZero();
        HeartbeatReport after = hb.run();
        // the execution that outlived its timeout has finished; the next run starts fresh and is ok
        assertThat(after.result("stubborn").orElseThrow().messages()).isEmpty();
        assertThat(executions.get()).isEqualTo(2);
    }

    @Test
    void aTimedOutCheckIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("slow", Duration.ofMillis(50), () -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return List.of();
                }).build())
                .build();
        assertThat(hb.run().result("slow").orElseThrow().outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void eachCheckKeepsItsOwnTimeoutWhateverTheRegistrationOrder() {
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder()
                        .add("slowButAllowed", Duration.ofMillis(3_000), () -> {
                            Thread.sleep(800);
                            return List.of();
                        })
                        .add("quickTimeout", Duration.ofMillis(100), () -> {
                            Thread.sleep(400);
                            return List.of();
                        })
                        .build())
                .build();
        HeartbeatReport report = hb.run();
        assertThat(report.result("slowButAllowed").orElseThrow().outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
        assertThat(report.result("quickTimeout").orElseThrow().outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(report.results()).extracting(CheckResult::name).containsExactly("slowButAllowed", "quickTimeout");
    }

    @Test
    void hangingChecksCostTheLargestTimeoutNotTheSum() {
        CountDownLatch never = new CountDownLatch(1);
        Check hangs = () -> {
            never.await();
            return List.of();
        };
        Heartbeat hb = Heartbeat.builder().checks(CheckRegistry.builder()
                .add("a", Duration.ofMillis(400), hangs)
                .add("b", Duration.ofMillis(400), hangs)
                .add("c", Duration.ofMillis(400), hangs)
                .add("d", Duration.ofMillis(400), hangs).build()).build();
        long start = System.nanoTime();
        HeartbeatReport report = hb.run();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT));
        // sequential waiting would take 1600 ms
        assertThat(millis).isLessThan(1_400);
    }

    @Test
    void anInterruptedCallerDoesNotSpoilTheSharedExecutionForOthers() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger interruptsSeenByCheck = new AtomicInteger();
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("shared", Duration.ofSeconds(20), () -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interruptsSeenByCheck.incrementAndGet();
                        throw e;
                    }
                    return List.of(CheckMessage.info("x.I1", "finished"));
                }).build())
                .build();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<HeartbeatReport> patient = callers.submit(hb::run);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            Future<HeartbeatReport> impatient = callers.submit(hb::run);
            Thread.sleep(100);
            impatient.cancel(true); // interrupts the second caller while it waits on the shared execution
            Thread.sleep(100);
            release.countDown();
            HeartbeatReport report = patient.get(10, TimeUnit.SECONDS);
            assertThat(report.result("shared").orElseThrow().messages()).extracting(CheckMessage::text)
                    .containsExactly("finished");
        }
        assertThat(interruptsSeenByCheck.get()).isZero();
    }

    @Test
    void aThrowingCheckReportsE012WithTheExceptionClassAndMessage() {
        HeartbeatReport report = heartbeat(CheckRegistry.builder()
                .add("throws", () -> {
                    throw new IllegalStateException("pool exhausted at postgresql://u:pw@db/x");
                })
                .add("npe", () -> {
                    throw new NullPointerException();
                })
                .add("returnsNull", () -> null)).run();
        CheckResult throwsResult = report.result("throws").orElseThrow();
        assertThat(throwsResult.outcome()).isEqualTo(CheckResult.Outcome.FAILED);
        assertThat(throwsResult.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(throwsResult.messages()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("dockerflow.health.E012");
            assertThat(m.text()).isEqualTo("Check failed: IllegalStateException: pool exhausted at postgresql://u:***@db/x");
        });
        assertThat(report.result("npe").orElseThrow().messages().get(0).text())
                .isEqualTo("Check failed: NullPointerException");
        assertThat(report.result("returnsNull").orElseThrow().messages().get(0).text())
                .startsWith("Check failed: IllegalStateException: check 'returnsNull' returned null");
    }

    @Test
    void silencedIdsAreDroppedBeforeTheLevelIsComputed() {
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder()
                        .add("db", () -> List.of(CheckMessage.error("dockerflow.health.E001", "down"),
                                CheckMessage.info("dockerflow.health.I001", "fyi")))
                        .add("slow", Duration.ofMillis(50), () -> {
                            Thread.sleep(10_000);
                            return List.of();
                        })
                        .build())
                .silencedIds(Set.of("dockerflow.health.E001", "dockerflow.health.E011"))
                .build();
        try (LogCapture log = LogCapture.of("dockerflow.checks")) {
            HeartbeatReport report = hb.run();
            assertThat(report.result("db").orElseThrow().level()).isEqualTo(dev.dockerflow.Level.INFO);
            assertThat(report.result("db").orElseThrow().messages()).extracting(CheckMessage::id)
                    .containsExactly("dockerflow.health.I001");
            assertThat(report.result("slow").orElseThrow().level()).isEqualTo(dev.dockerflow.Level.OK);
            assertThat(report.result("slow").orElseThrow().messages()).isEmpty();
            assertThat(report.passed()).isTrue();
            assertThat(log.messages()).containsExactly("dockerflow.health.I001: fyi");
        }
    }

    @Test
    void everyMessageIsLoggedOncePerRunAtTheMatchingLevel() {
        Heartbeat hb = heartbeat(CheckRegistry.builder()
                .add("a", () -> List.of(CheckMessage.debug("x.D1", "d"), CheckMessage.info("x.I1", "i")))
                .add("b", () -> List.of(CheckMessage.warning("x.W1", "w"), CheckMessage.error("x.E1", "e"),
                        CheckMessage.critical("x.C1", "c"))));
        try (LogCapture log = LogCapture.of("dockerflow.checks")) {
            hb.run();
            assertThat(log.messages()).containsExactlyInAnyOrder(
                    "x.D1: d", "x.I1: i", "x.W1: w", "x.E1: e", "x.C1: c");
            assertThat(log.messagesAt(Level.FINE)).containsExactly("x.D1: d");
            assertThat(log.messagesAt(Level.INFO)).containsExactly("x.I1: i");
            assertThat(log.messagesAt(Level.WARNING)).containsExactly("x.W1: w");
            assertThat(log.messagesAt(Level.SEVERE)).containsExactlyInAnyOrder("x.E1: e", "x.C1: c");
            hb.run();
            assertThat(log.messages()).hasSize(10);
        }
    }

    @Test
    void listenersHearEveryRunAndAThrowingListenerNeverBreaksTheAnswer() {
        List<HeartbeatReport> heard = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HeartbeatListener broken = r -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        };
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("e", () -> List.of(CheckMessage.error("x.E1", "e"))).build())
                .addListener(broken)
                .addListener(heard::add)
                .build();
        try (LogCapture log = LogCapture.of(Heartbeat.class.getName())) {
            HeartbeatReport first = hb.run();
            HeartbeatReport second = hb.run();
            assertThat(heard).containsExactly(first, second);
            assertThat(heard.get(0).passed()).isFalse();
            assertThat(heard.get(0).level()).isEqualTo(dev.dockerflow.Level.ERROR);
            assertThat(calls.get()).isEqualTo(2);
            // logged at WARNING once, then at DEBUG while it keeps failing
            assertThat(log.records()).extracting(r -> r.getLevel()).containsExactly(Level.WARNING, Level.FINE);
            assertThat(log.records().get(0).getThrown()).hasMessage("listener bug");
        }
    }

    @Test
    void durationsComeFromTheInjectedNanoSource() {
        AtomicLong now = new AtomicLong(1_000);
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder().add("tick", () -> {
                    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(42));
                    return List.of();
                }).build())
                .nanoTime(now::get)
                .build();
        HeartbeatReport report = hb.run();
        assertThat(report.result("tick").orElseThrow().duration()).isEqualTo(Duration.ofMillis(42));
        assertThat(report.duration()).isEqualTo(Duration.ofMillis(42));
    }

    @Test
    void theDefaultTimeoutIs3000MsAndAPerCheckTimeoutOverridesIt() {
        assertThat(Heartbeat.DEFAULT_TIMEOUT).isEqualTo(Duration.ofMillis(3000));
        Heartbeat hb = Heartbeat.builder()
                .checks(CheckRegistry.builder()
                        .add("default", () -> {
                            Thread.sleep(60_000);
                            return List.of();
                        })
                        .add("own", Duration.ofMillis(80), () -> {
                            Thread.sleep(60_000);
                            return List.of();
                        }).build())
                .defaultTimeout(Duration.ofMillis(300))
                .build();
        HeartbeatReport report = hb.run();
        assertThat(report.result("default").orElseThrow().messages().get(0).text())
                .isEqualTo("Check timed out after 300 ms");
        assertThat(report.result("own").orElseThrow().messages().get(0).text())
                .isEqualTo("Check timed out after 80 ms");
    }

    @Test
    void tenThousandRunsLeaveNoExtraLiveThreads() throws Exception {
        // virtual threads are not counted by the thread MXBean: count the checks' own entries and exits too
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        Heartbeat hb = heartbeat(CheckRegistry.builder()
                .add("counted", () -> {
                    entered.incrementAndGet();
                    inside.incrementAndGet();
                    try {
                        return List.of();
                    } finally {
                        inside.decrementAndGet();
                    }
                })
                .add("a", List::of)
                .add("b", () -> List.of(CheckMessage.warning("x.W", "w")))
                .add("c", () -> {
                    throw new IllegalStateException("boom");
                }));
        java.util.logging.Logger checksLog = java.util.logging.Logger.getLogger("dockerflow.checks");
        java.util.logging.Level previous = checksLog.getLevel();
        checksLog.setLevel(Level.OFF);
        try {
            for (int i = 0; i < 100; i++) {
                hb.run();
            }
            int before = Thread.activeCount();
            long platformBefore = liveThreadCount();
            for (int i = 0; i < 10_000; i++) {
                hb.run();
            }
            // a leak would add thousands; allow for the scheduler adding or retiring a carrier
            // and for the library's two shared daemon threads starting meanwhile
            assertThat(liveThreadCount()).isLessThanOrEqualTo(platformBefore + 4);
            assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 4);
        } finally {
            checksLog.setLevel(previous);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hb.executionsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(hb.executionsInFlight()).isZero();
        assertThat(inside.get()).isZero();
        assertThat(entered.get()).isEqualTo(10_100);
    }

    private static long liveThreadCount() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
