package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HeartbeatTest {

    private final List<Heartbeat> built = new ArrayList<>();
    /** Every line of the check logger, kept out of the build output. */
    private CheckLog log;
    private CheckLog runnerLog;

    @BeforeEach
    void captureLogs() {
        log = new CheckLog(CheckOutcomes.LOGGER_NAME);
        runnerLog = new CheckLog(Heartbeat.class.getName());
    }

    /** Every thread a check of this test ran on. */
    private final Set<Thread> checkThreads = ConcurrentHashMap.newKeySet();

    @AfterEach
    void closeHeartbeatsAndLogs() throws InterruptedException {
        built.forEach(Heartbeat::close);
        // what a check's thread logs after its answer (a late return) belongs to this test
        for (Thread t : checkThreads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("thread %s of a check", t).isFalse();
        }
        log.close();
        runnerLog.close();
    }

    /** Builds heartbeats as Dockerflow does; closed after each test. */
    private final class HeartbeatSetup {
        final CheckRegistry.Builder checks = CheckRegistry.builder();
        Duration timeout = Heartbeat.DEFAULT_TIMEOUT;
        Duration cacheFor = Duration.ZERO;
        Set<String> silenced = Set.of();
        final List<HeartbeatListener> listeners = new ArrayList<>();
        LongSupplier nanoTime = System::nanoTime;

        HeartbeatSetup check(String name, Check check) {
            checks.add(name, tracked(check));
            return this;
        }

        HeartbeatSetup check(String name, Duration checkTimeout, Check check) {
            checks.add(name, checkTimeout, tracked(check));
            return this;
        }

        HeartbeatSetup check(String name, CheckOptions options, Check check) {
            checks.add(name, options, tracked(check));
            return this;
        }

        private Check tracked(Check check) {
            return () -> {
                checkThreads.add(Thread.currentThread());
                return check.run();
            };
        }

        Heartbeat build() {
            Heartbeat heartbeat = Heartbeat.create(checks.build(), timeout, cacheFor, silenced, listeners, nanoTime);
            built.add(heartbeat);
            return heartbeat;
        }
    }

    private HeartbeatSetup setup() {
        return new HeartbeatSetup();
    }

    /** A check that blocks until released, ignoring interrupts, and counts its runs. */
    private static final class Stubborn implements Check {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread thread;

        @Override
        public List<CheckMessage> run() {
            runs.incrementAndGet();
            thread = Thread.currentThread();
            started.countDown();
            while (true) {
                try {
                    release.await();
                    return List.of();
                } catch (InterruptedException ignored) {
                    // a badly behaved check: ignores the interrupt and keeps waiting
                }
            }
        }
    }

    /** A fake monotonic clock. */
    private static final class FakeClock implements LongSupplier {
        private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(3));

        @Override
        public long getAsLong() {
            return nanos.get();
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    private static CheckResult result(HeartbeatReport report, String name) {
        return report.result(name).orElseThrow();
    }

    // --- levels and payload -------------------------------------------------------------------

    @Test
    void noChecksPassesAtOk() {
        HeartbeatReport report = setup().build().run();
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.OK);
        assertThat(report.passed()).isTrue();
        assertThat(report.results()).isEmpty();
    }

    @Test
    void checkLevelIsTheHighestOfItsMessagesAndTheReportsTheHighestOfItsChecks() {
        HeartbeatReport report = setup()
                .check("quiet", List::of)
                .check("mixed", () -> List.of(CheckMessage.info("a.I1", "fyi"), CheckMessage.warning("a.W1", "hmm")))
                .check("broken", () -> List.of(CheckMessage.debug("a.D1", "x"), CheckMessage.error("a.E1", "down")))
                .build().run();
        assertThat(report.results()).extracting(CheckResult::name).containsExactly("quiet", "mixed", "broken");
        assertThat(report.results()).extracting(CheckResult::level)
                .containsExactly(dev.dockerflow.Level.OK, dev.dockerflow.Level.WARNING, dev.dockerflow.Level.ERROR);
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(report.passed()).isFalse();
        assertThat(result(report, "mixed").outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
        assertThat(report.results()).noneMatch(CheckResult::cached);
    }

    @Test
    void warningStillPasses() {
        HeartbeatReport report = setup().check("w", () -> List.of(CheckMessage.warning("a.W1", "slow"))).build().run();
        assertThat(report.level()).isEqualTo(dev.dockerflow.Level.WARNING);
        assertThat(report.passed()).isTrue();
    }

    // --- threads ------------------------------------------------------------------------------

    @Test
    void checksRunOffTheCallersThreadAndQuickOnesShareOne() {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        HeartbeatSetup setup = setup();
        for (int i = 0; i < 10; i++) {
            setup.check("quick-" + i, () -> {
                threads.add(Thread.currentThread());
                return List.of();
            });
        }
        Heartbeat hb = setup.build();
        // a runner descheduled for over a millisecond hands its queue off; on an idle machine none is
        int singleThreadRuns = 0;
        for (int run = 0; run < 50; run++) {
            threads.clear();
            assertThat(hb.run().passed()).isTrue();
            assertThat(threads).doesNotContain(Thread.currentThread()).allMatch(Thread::isVirtual);
            if (threads.size() == 1) {
                singleThreadRuns++;
            }
        }
        assertThat(singleThreadRuns).isPositive();
    }

    @Test
    void checksQueuedBehindABlockedCheckAreHandedThreadsOfTheirOwn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch quickOnesDone = new CountDownLatch(4);
        HeartbeatSetup setup = setup().check("blocked", () -> {
            release.await();
            return List.of();
        });
        for (int i = 0; i < 4; i++) {
            setup.check("quick-" + i, () -> {
                quickOnesDone.countDown();
                return List.of();
            });
        }
        CompletableFuture<HeartbeatReport> report = setup.build().runAsync();
        // registered after the blocked one, yet not held back until it returns
        assertThat(quickOnesDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(report).isNotDone();
        release.countDown();
        assertThat(report.get(10, TimeUnit.SECONDS).passed()).isTrue();
    }

    @Test
    void fiveBlockedChecksAllRunAtOnce() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        HeartbeatSetup setup = setup();
        setup.timeout = Duration.ofSeconds(20);
        for (int i = 0; i < 5; i++) {
            setup.check("blocked-" + i, () -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                allStarted.countDown();
                release.await();
                running.decrementAndGet();
                return List.of();
            });
        }
        CompletableFuture<HeartbeatReport> report = setup.build().runAsync();
        // each check waits for the release: they can only all have started if they run concurrently
        assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(maxRunning.get()).isEqualTo(5);
        release.countDown();
        assertThat(report.get(10, TimeUnit.SECONDS).passed()).isTrue();
    }

    // --- single flight ------------------------------------------------------------------------

    @Test
    void fiftyConcurrentCallersNeverHaveTwoRunsOfACheckInFlight() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Heartbeat hb = setup().check("shared", () -> {
            runs.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5); // a backend that takes a moment
                return List.of(CheckMessage.info("x.I1", "shared result"));
            } finally {
                inFlight.decrementAndGet();
            }
        }).build();
        CyclicBarrier together = new CyclicBarrier(50);
        List<Future<List<HeartbeatReport>>> callers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 50; c++) {
                callers.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    List<HeartbeatReport> reports = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        reports.add(hb.run());
                    }
                    return reports;
                }));
            }
            for (Future<List<HeartbeatReport>> f : callers) {
                assertThat(f.get(30, TimeUnit.SECONDS)).allSatisfy(r -> assertThat(result(r, "shared").messages())
                        .extracting(CheckMessage::text).containsExactly("shared result"));
            }
        }
        assertThat(maxInFlight.get()).isEqualTo(1);
        // 1,000 heartbeats shared far fewer runs
        assertThat(runs.get()).isLessThan(1_000);
    }

    @Test
    void fiftyCallersThatArriveWhileACheckRunsShareItsOneRun() throws Exception {
        Stubborn check = new Stubborn();
        Heartbeat hb = setup().check("shared", Duration.ofSeconds(30), check).build();
        List<CompletableFuture<HeartbeatReport>> reports = new CopyOnWriteArrayList<>();
        reports.add(hb.runAsync());
        assertThat(check.started.await(10, TimeUnit.SECONDS)).isTrue();
        CyclicBarrier together = new CyclicBarrier(49);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> callers = new ArrayList<>();
            for (int c = 0; c < 49; c++) {
                // runAsync returns once the caller has joined the run in flight
                callers.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return reports.add(hb.runAsync());
                }));
            }
            for (Future<?> f : callers) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(reports).hasSize(50).noneMatch(CompletableFuture::isDone);
        check.release.countDown();
        for (CompletableFuture<HeartbeatReport> r : reports) {
            assertThat(result(r.get(10, TimeUnit.SECONDS), "shared").outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
        }
        assertThat(check.runs.get()).isEqualTo(1);
        // once it has returned, the next heartbeat runs the check again
        check.thread.join(10_000);
        hb.run();
        assertThat(check.runs.get()).isEqualTo(2);
    }

    // --- timeouts -----------------------------------------------------------------------------

    @Test
    void aCheckThatNeverReturnsTimesOutWithE011AndTheHeartbeatStillAnswers() {
        CountDownLatch never = new CountDownLatch(1);
        Heartbeat hb = setup()
                .check("hangs", Duration.ofMillis(200), () -> {
                    never.await();
                    return List.of();
                })
                .check("fine", List::of)
                .build();
        long start = System.nanoTime();
        HeartbeatReport report = hb.run();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).isBetween(150L, 2_000L);
        CheckResult hangs = result(report, "hangs");
        assertThat(hangs.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(hangs.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(hangs.messages()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("dockerflow.health.E011");
            assertThat(m.text()).isEqualTo("Check timed out after 200 ms");
        });
        assertThat(hangs.duration()).isEqualTo(Duration.ofMillis(200));
        assertThat(result(report, "fine").level()).isEqualTo(dev.dockerflow.Level.OK);
        assertThat(report.passed()).isFalse();
    }

    @Test
    void aHungCheckIsAnsweredAtOnceByLaterHeartbeatsAndStartedOnce() {
        Stubborn check = new Stubborn();
        Heartbeat hb = setup().check("hangs", Duration.ofSeconds(1), check).build();
        try {
            long start = System.nanoTime();
            HeartbeatReport first = hb.run();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(result(first, "hangs").messages()).singleElement()
                    .satisfies(m -> assertThat(m.text()).isEqualTo("Check timed out after 1000 ms"));
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                HeartbeatReport later = hb.run();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
                CheckResult hangs = result(later, "hangs");
                assertThat(hangs.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
                assertThat(hangs.level()).isEqualTo(dev.dockerflow.Level.ERROR);
                assertThat(hangs.messages()).singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(Heartbeat.TIMEOUT_ID);
                    assertThat(m.text()).startsWith("Check timed out after 1000 ms; it has been running for ")
                            .endsWith(" ms");
                });
            }
            assertThat(check.runs.get()).isEqualTo(1);
            assertThat(hb.executionsInFlight()).isEqualTo(1);
        } finally {
            check.release.countDown();
        }
    }

    @Test
    void aTimedOutChecksSlotIsFreedOnlyWhenItReallyReturns() throws Exception {
        Stubborn check = new Stubborn();
        Heartbeat hb = setup().check("stubborn", Duration.ofMillis(500), check).build();
        for (int i = 0; i < 3; i++) {
            assertThat(result(hb.run(), "stubborn").messages()).extracting(CheckMessage::id)
                    .containsExactly("dockerflow.health.E011");
        }
        assertThat(check.runs.get()).isEqualTo(1);
        assertThat(hb.executionsInFlight()).isEqualTo(1);
        check.release.countDown();
        // the slot is freed on the check's own thread once the check returns, before that thread ends
        check.thread.join(10_000);
        assertThat(hb.executionsInFlight()).isZero();
        HeartbeatReport after = hb.run();
        assertThat(result(after, "stubborn").messages()).isEmpty();
        assertThat(check.runs.get()).isEqualTo(2);
    }

    @Test
    void aTimedOutCheckIsInterrupted() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        // long enough for the check to have started on a loaded machine: a run still queued at its deadline is dropped
        Heartbeat hb = setup().check("slow", Duration.ofMillis(500), () -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return List.of();
        }).build();
        assertThat(result(hb.run(), "slow").outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void eachCheckKeepsItsOwnTimeoutWhateverTheRegistrationOrder() {
        HeartbeatReport report = setup()
                .check("slowButAllowed", Duration.ofMillis(3_000), () -> {
                    Thread.sleep(800); // a slow backend
                    return List.of();
                })
                .check("quickTimeout", Duration.ofMillis(100), () -> {
                    Thread.sleep(400);
                    return List.of();
                })
                .build().run();
        assertThat(result(report, "slowButAllowed").outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
        assertThat(result(report, "quickTimeout").outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        assertThat(report.results()).extracting(CheckResult::name).containsExactly("slowButAllowed", "quickTimeout");
    }

    @Test
    void hangingChecksCostTheLargestTimeoutNotTheSum() {
        CountDownLatch never = new CountDownLatch(1);
        Check hangs = () -> {
            never.await();
            return List.of();
        };
        Heartbeat hb = setup()
                .check("a", Duration.ofMillis(400), hangs)
                .check("b", Duration.ofMillis(400), hangs)
                .check("c", Duration.ofMillis(400), hangs)
                .check("d", Duration.ofMillis(400), hangs)
                .build();
        long start = System.nanoTime();
        HeartbeatReport report = hb.run();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT));
        // waiting for them one after another would take 1600 ms
        assertThat(millis).isLessThan(1_400);
    }

    @Test
    void theDefaultTimeoutIs3000MsAndAPerCheckTimeoutOverridesIt() {
        assertThat(Heartbeat.DEFAULT_TIMEOUT).isEqualTo(Duration.ofMillis(3000));
        Check hangs = () -> {
            new CountDownLatch(1).await();
            return List.of();
        };
        HeartbeatSetup setup = setup().check("default", hangs).check("own", Duration.ofMillis(80), hangs)
                .check("options", CheckOptions.builder().timeout(Duration.ofMillis(90)).build(), hangs);
        setup.timeout = Duration.ofMillis(300);
        HeartbeatReport report = setup.build().run();
        assertThat(result(report, "default").messages().get(0).text()).isEqualTo("Check timed out after 300 ms");
        assertThat(result(report, "own").messages().get(0).text()).isEqualTo("Check timed out after 80 ms");
        assertThat(result(report, "options").messages().get(0).text()).isEqualTo("Check timed out after 90 ms");
    }

    // --- callers ------------------------------------------------------------------------------

    @Test
    void anInterruptedCallerStillGetsTheRealResultAndKeepsItsInterrupt() throws Exception {
        Stubborn check = new Stubborn();
        Heartbeat hb = setup().check("shared", Duration.ofSeconds(20), check).build();
        CompletableFuture<HeartbeatReport> patient = hb.runAsync();
        assertThat(check.started.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<HeartbeatReport> seen = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        CountDownLatch callerJoined = new CountDownLatch(1);
        Thread impatient = Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt(); // e.g. a server shutting down
            callerJoined.countDown();
            seen.set(hb.run());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        assertThat(callerJoined.await(10, TimeUnit.SECONDS)).isTrue();
        impatient.interrupt();
        check.release.countDown();
        impatient.join(10_000);
        assertThat(result(seen.get(), "shared").outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
        assertThat(result(seen.get(), "shared").messages()).isEmpty();
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(result(patient.get(10, TimeUnit.SECONDS), "shared").outcome()).isEqualTo(CheckResult.Outcome.COMPLETED);
    }

    @Test
    void runAsyncCompletesWithoutHoldingTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> listenerThread = new AtomicReference<>();
        HeartbeatSetup setup = setup().check("blocked", () -> {
            release.await();
            return List.of(CheckMessage.warning("x.W1", "w"));
        });
        setup.listeners.add(r -> listenerThread.set(Thread.currentThread()));
        Heartbeat hb = setup.build();
        CompletableFuture<HeartbeatReport> report = hb.runAsync();
        // the caller is back while the check still runs
        assertThat(report).isNotDone();
        release.countDown();
        HeartbeatReport done = report.get(10, TimeUnit.SECONDS);
        assertThat(done.level()).isEqualTo(dev.dockerflow.Level.WARNING);
        assertThat(listenerThread.get()).isNotEqualTo(Thread.currentThread());
    }

    @Test
    void runAsyncAnswersATimeoutOnAVirtualThreadAndNeverCompletesExceptionally() throws Exception {
        AtomicReference<Thread> listenerThread = new AtomicReference<>();
        HeartbeatSetup setup = setup().check("hangs", Duration.ofMillis(50), () -> {
            new CountDownLatch(1).await();
            return List.of();
        });
        setup.listeners.add(r -> {
            listenerThread.set(Thread.currentThread());
            throw new IllegalStateException("listener bug");
        });
        CompletableFuture<HeartbeatReport> report = setup.build().runAsync();
        HeartbeatReport done = report.get(10, TimeUnit.SECONDS);
        assertThat(report).isNotCompletedExceptionally();
        assertThat(result(done, "hangs").outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        // not on the JDK's timer thread, which every timeout of the JVM depends on
        assertThat(listenerThread.get().isVirtual()).isTrue();
    }

    @Test
    void runAsyncOfCachedResultsIsCompleteAtOnce() {
        HeartbeatSetup setup = setup().check("db", List::of);
        setup.cacheFor = Duration.ofMinutes(1);
        Heartbeat hb = setup.build();
        hb.run();
        CompletableFuture<HeartbeatReport> report = hb.runAsync();
        assertThat(report).isDone();
        assertThat(result(report.join(), "db").cached()).isTrue();
    }

    // --- cache --------------------------------------------------------------------------------

    @Test
    void tenHeartbeatsWithinASecondShareOneRunOfACheckCachedForTwoSeconds() {
        FakeClock clock = new FakeClock();
        AtomicInteger runs = new AtomicInteger();
        List<Boolean> heardCached = new CopyOnWriteArrayList<>();
        HeartbeatSetup setup = setup().check("backend", CheckOptions.builder().cacheFor(Duration.ofSeconds(2)).build(), () -> {
            runs.incrementAndGet();
            return List.of(CheckMessage.warning("x.W1", "run " + runs.get()));
        });
        setup.nanoTime = clock;
        setup.listeners.add(r -> heardCached.add(result(r, "backend").cached()));
        Heartbeat hb = setup.build();
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(result(hb.run(), "backend"));
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(results).allSatisfy(r -> assertThat(r.messages()).extracting(CheckMessage::text).containsExactly("run 1"));
        assertThat(results).extracting(CheckResult::cached).containsExactly(false, true, true, true, true, true, true, true, true, true);
        assertThat(heardCached).containsExactly(false, true, true, true, true, true, true, true, true, true);
        // a cached result is never older than the setting: 1999 ms after the run finished it is reused, at 2000 ms not
        clock.advance(Duration.ofMillis(999));
        assertThat(result(hb.run(), "backend").cached()).isTrue();
        clock.advance(Duration.ofMillis(1));
        CheckResult fresh = result(hb.run(), "backend");
        assertThat(runs.get()).isEqualTo(2);
        assertThat(fresh.cached()).isFalse();
        assertThat(fresh.messages()).extracting(CheckMessage::text).containsExactly("run 2");
    }

    @Test
    void theCacheDefaultAppliesUnlessACheckSetsItsOwnAndZeroIsOff() {
        FakeClock clock = new FakeClock();
        AtomicInteger defaulted = new AtomicInteger();
        AtomicInteger off = new AtomicInteger();
        HeartbeatSetup setup = setup()
                .check("defaulted", () -> {
                    defaulted.incrementAndGet();
                    return List.of();
                })
                .check("off", CheckOptions.builder().cacheFor(Duration.ZERO).build(), () -> {
                    off.incrementAndGet();
                    return List.of();
                });
        setup.cacheFor = Duration.ofSeconds(5);
        setup.nanoTime = clock;
        Heartbeat hb = setup.build();
        for (int i = 0; i < 3; i++) {
            hb.run();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(defaulted.get()).isEqualTo(1);
        assertThat(off.get()).isEqualTo(3);
    }

    @Test
    void aRunThatTimedOutIsNotReusedButAFailureIs() throws Exception {
        FakeClock clock = new FakeClock();
        Stubborn hangs = new Stubborn();
        AtomicInteger throwing = new AtomicInteger();
        CheckOptions cached = CheckOptions.builder().cacheFor(Duration.ofMinutes(1)).timeout(Duration.ofMillis(500)).build();
        HeartbeatSetup setup = setup().check("hangs", cached, hangs).check("throws", cached, () -> {
            throwing.incrementAndGet();
            throw new IllegalStateException("down");
        });
        setup.nanoTime = clock;
        Heartbeat hb = setup.build();
        HeartbeatReport first = hb.run();
        assertThat(result(first, "hangs").outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
        hangs.release.countDown();
        hangs.thread.join(10_000);
        HeartbeatReport second = hb.run();
        assertThat(hangs.runs.get()).isEqualTo(2);
        assertThat(result(second, "hangs").cached()).isFalse();
        assertThat(throwing.get()).isEqualTo(1);
        assertThat(result(second, "throws").cached()).isTrue();
        assertThat(result(second, "throws").outcome()).isEqualTo(CheckResult.Outcome.FAILED);
    }

    // --- non-critical -------------------------------------------------------------------------

    @Test
    void aNonCriticalCheckThatHangsLeavesTheHeartbeatPassingAtWarning() {
        Stubborn hangs = new Stubborn();
        Heartbeat hb = setup()
                .check("optional", CheckOptions.builder().nonCritical().timeout(Duration.ofMillis(100)).build(), hangs)
                .check("db", List::of)
                .build();
        try {
            for (int i = 0; i < 2; i++) { // timed out, then hung
                HeartbeatReport report = hb.run();
                assertThat(report.passed()).isTrue();
                assertThat(report.level()).isEqualTo(dev.dockerflow.Level.WARNING);
                CheckResult optional = result(report, "optional");
                assertThat(optional.level()).isEqualTo(dev.dockerflow.Level.WARNING);
                assertThat(optional.messages()).singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(Heartbeat.TIMEOUT_ID);
                    assertThat(m.level()).isEqualTo(dev.dockerflow.Level.WARNING);
                });
            }
        } finally {
            hangs.release.countDown();
        }
    }

    @Test
    void aNonCriticalCheckReportsItsExceptionAsAWarningButKeepsTheLevelsOfItsOwnMessages() {
        CheckOptions nonCritical = CheckOptions.builder().nonCritical().build();
        HeartbeatReport report = setup()
                .check("throws", nonCritical, () -> {
                    throw new IllegalStateException("optional cache down");
                })
                .check("says error", nonCritical, () -> List.of(CheckMessage.error("x.E1", "really down")))
                .build().run();
        CheckResult throwsResult = result(report, "throws");
        assertThat(throwsResult.level()).isEqualTo(dev.dockerflow.Level.WARNING);
        assertThat(throwsResult.messages()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(Heartbeat.FAILURE_ID);
            assertThat(m.text()).isEqualTo("Check failed: IllegalStateException: optional cache down");
        });
        assertThat(result(report, "says error").level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(report.passed()).isFalse();
        assertThat(log.recordsAt(Level.WARNING)).singleElement()
                .satisfies(r -> assertThat(r.getThrown()).hasMessage("optional cache down"));
    }

    // --- failures -----------------------------------------------------------------------------

    @Test
    void aThrowingCheckReportsE012WithTheExceptionClassAndMessage() {
        HeartbeatReport report = setup()
                .check("throws", () -> {
                    throw new IllegalStateException("pool exhausted at postgresql://u:pw@db/x");
                })
                .check("npe", () -> {
                    throw new NullPointerException();
                })
                .check("returnsNull", () -> null)
                .build().run();
        CheckResult throwsResult = result(report, "throws");
        assertThat(throwsResult.outcome()).isEqualTo(CheckResult.Outcome.FAILED);
        assertThat(throwsResult.level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(throwsResult.messages()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("dockerflow.health.E012");
            assertThat(m.text()).isEqualTo("Check failed: IllegalStateException: pool exhausted at postgresql://u:***@db/x");
        });
        assertThat(result(report, "npe").messages().get(0).text()).isEqualTo("Check failed: NullPointerException");
        assertThat(result(report, "returnsNull").messages().get(0).text())
                .startsWith("Check failed: IllegalStateException: check 'returnsNull' returned null");
        assertThat(new String(report.toJson(true), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("\tat ").doesNotContain("HeartbeatTest");
    }

    @Test
    void aChecksExceptionIsLoggedWithItsStackTraceAtErrorOnceThenAtDebugWhileItRepeats() {
        AtomicReference<RuntimeException> next = new AtomicReference<>();
        Heartbeat hb = setup().check("flaky", () -> {
            RuntimeException e = next.get();
            if (e != null) {
                throw e;
            }
            return List.of();
        }).build();
        next.set(new IllegalStateException("kaput"));
        hb.run();
        hb.run();
        hb.run();
        next.set(new IllegalStateException("other"));
        hb.run();
        next.set(null);
        hb.run();
        next.set(new IllegalStateException("other"));
        hb.run();
        assertThat(log.records()).extracting(LogRecord::getLevel)
                .containsExactly(Level.SEVERE, Level.FINE, Level.FINE, Level.SEVERE, Level.SEVERE);
        assertThat(log.records()).extracting(LogRecord::getMessage).containsExactly(
                "dockerflow.health.E012: Check failed: IllegalStateException: kaput",
                "dockerflow.health.E012: Check failed: IllegalStateException: kaput",
                "dockerflow.health.E012: Check failed: IllegalStateException: kaput",
                "dockerflow.health.E012: Check failed: IllegalStateException: other",
                "dockerflow.health.E012: Check failed: IllegalStateException: other");
        assertThat(log.records()).allSatisfy(r -> {
            assertThat(r.getThrown()).isInstanceOf(IllegalStateException.class);
            assertThat(r.getThrown().getStackTrace()).isNotEmpty();
        });
    }

    @Test
    void secretsInALoggedExceptionAreRedactedAndItsStackTraceKept() {
        IllegalStateException cause = new IllegalStateException("login to redis://:hunter2@cache:6379 refused");
        RuntimeException thrown = new RuntimeException("wrapper", cause);
        setup().check("redis", () -> {
            throw thrown;
        }).build().run();
        LogRecord logged = log.records().getFirst();
        java.io.StringWriter trace = new java.io.StringWriter();
        logged.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString())
                .doesNotContain("hunter2")
                .contains("java.lang.IllegalStateException: login to redis://:***@cache:6379 refused")
                .contains("java.lang.RuntimeException: wrapper")
                .contains("HeartbeatTest");
        assertThat(logged.getThrown().getStackTrace()).isEqualTo(thrown.getStackTrace());
        // without a secret, the exception is logged as thrown
        IllegalStateException plain = new IllegalStateException("plain");
        assertThat(CheckOutcomes.redacted(plain)).isSameAs(plain);
    }

    // --- silenced ids and logging -------------------------------------------------------------

    @Test
    void silencedIdsAreDroppedBeforeTheLevelIsComputedAndNotLogged() {
        HeartbeatSetup setup = setup()
                .check("db", () -> List.of(CheckMessage.error("dockerflow.health.E001", "down"),
                        CheckMessage.info("dockerflow.health.I001", "fyi")))
                .check("slow", Duration.ofMillis(50), () -> {
                    new CountDownLatch(1).await();
                    return List.of();
                });
        setup.silenced = Set.of("dockerflow.health.E001", "dockerflow.health.E011");
        HeartbeatReport report = setup.build().run();
        assertThat(result(report, "db").level()).isEqualTo(dev.dockerflow.Level.INFO);
        assertThat(result(report, "db").messages()).extracting(CheckMessage::id).containsExactly("dockerflow.health.I001");
        assertThat(result(report, "slow").level()).isEqualTo(dev.dockerflow.Level.OK);
        assertThat(result(report, "slow").messages()).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(log.messagesFrom(Level.INFO)).containsExactly("dockerflow.health.I001: fyi");
    }

    @Test
    void everyMessageIsLoggedOncePerRunAtTheMatchingLevelOnTheRegistryLogger() {
        Heartbeat hb = setup()
                .check("a", () -> List.of(CheckMessage.debug("x.D1", "d"), CheckMessage.info("x.I1", "i")))
                .check("b", () -> List.of(CheckMessage.warning("x.W1", "w"), CheckMessage.error("x.E1", "e"),
                        CheckMessage.critical("x.C1", "c").withHint("call someone")))
                .build();
        hb.run();
        assertThat(log.messages()).containsExactlyInAnyOrder(
                "x.D1: d", "x.I1: i", "x.W1: w", "x.E1: e", "x.C1: c HINT: call someone");
        assertThat(log.messagesAt(Level.FINE)).containsExactly("x.D1: d");
        assertThat(log.messagesAt(Level.INFO)).containsExactly("x.I1: i");
        assertThat(log.messagesAt(Level.WARNING)).containsExactly("x.W1: w");
        assertThat(log.messagesAt(Level.SEVERE)).containsExactlyInAnyOrder("x.E1: e", "x.C1: c HINT: call someone");
        assertThat(log.records()).allSatisfy(r -> assertThat(r.getLoggerName()).isEqualTo("dockerflow.checks.registry"));
        hb.run();
        assertThat(log.messages()).hasSize(10);
    }

    @Test
    void logLinesFromTheChecksThreadCarryTheRequestIdOfTheHeartbeatThatStartedTheRun() throws Exception {
        AtomicReference<Optional<String>> insideCheck = new AtomicReference<>();
        AtomicReference<Thread> checkThread = new AtomicReference<>();
        Heartbeat hb = setup()
                .check("says", () -> {
                    insideCheck.set(RequestId.current());
                    checkThread.set(Thread.currentThread());
                    return List.of(CheckMessage.warning("x.W1", "w"));
                })
                .check("throws", () -> {
                    throw new IllegalStateException("boom");
                })
                .check("hangs", Duration.ofMillis(50), () -> {
                    new CountDownLatch(1).await();
                    return List.of();
                })
                .build();
        RequestId.Scope bound = RequestId.bind("rid-of-the-heartbeat");
        try {
            hb.run();
        } finally {
            bound.close();
        }
        assertThat(checkThread.get()).isNotEqualTo(Thread.currentThread());
        assertThat(insideCheck.get()).contains("rid-of-the-heartbeat");
        List<LogRecord> records = log.records();
        assertThat(records).extracting(LogRecord::getMessage).contains(
                "x.W1: w", "dockerflow.health.E012: Check failed: IllegalStateException: boom",
                "dockerflow.health.E011: Check timed out after 50 ms");
        assertThat(log.requestIds()).allSatisfy(rid -> assertThat(rid).contains("rid-of-the-heartbeat"));
        for (int i = 0; i < records.size(); i++) {
            // what the checks found is logged on their threads; E011 by the heartbeat that reports it
            boolean timeout = records.get(i).getMessage().startsWith(Heartbeat.TIMEOUT_ID);
            assertThat(log.threads().get(i) == Thread.currentThread()).as(records.get(i).getMessage()).isEqualTo(timeout);
        }
        // nothing is left bound: a later heartbeat without an ID logs its lines without one
        log.clear();
        hb.run();
        List<Optional<String>> ridsOfW1 = new ArrayList<>();
        records = log.records();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).getMessage().equals("x.W1: w")) {
                ridsOfW1.add(log.requestIds().get(i));
            }
        }
        assertThat(ridsOfW1).containsExactly(Optional.empty());
    }

    @Test
    void aCheckThatStaysHungIsLoggedAtWarningAtMostOnceAMinute() throws Exception {
        FakeClock clock = new FakeClock();
        Stubborn check = new Stubborn();
        HeartbeatSetup setup = setup().check("hangs", Duration.ofMillis(500), check);
        setup.nanoTime = clock;
        Heartbeat hb = setup.build();
        try {
            hb.run();
            log.await(r -> r.getLevel() == Level.SEVERE);
            List<Duration> at = List.of(Duration.ofSeconds(1), Duration.ofSeconds(58), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(29), Duration.ofSeconds(1));
            List<Integer> warningsAfterEach = new ArrayList<>();
            for (Duration step : at) {
                clock.advance(step);
                HeartbeatReport report = hb.run();
                assertThat(result(report, "hangs").outcome()).isEqualTo(CheckResult.Outcome.TIMED_OUT);
                warningsAfterEach.add(log.recordsAt(Level.WARNING).size());
            }
            // t = 1, 59, 60 (a minute after the timeout was logged), 61, 91, 120 (a minute after the last), 121 s
            assertThat(warningsAfterEach).containsExactly(0, 0, 1, 1, 1, 2, 2);
            assertThat(log.recordsAt(Level.WARNING)).extracting(LogRecord::getMessage).containsExactly(
                    "dockerflow.health.E011: Check timed out after 500 ms; it has been running for 60000 ms",
                    "dockerflow.health.E011: Check timed out after 500 ms; it has been running for 120000 ms");
            assertThat(log.recordsAt(Level.SEVERE)).hasSize(1);
            assertThat(check.runs.get()).isEqualTo(1);
        } finally {
            check.release.countDown();
        }
    }

    // --- listeners, time ----------------------------------------------------------------------

    @Test
    void listenersHearEveryRunAndAThrowingListenerNeverBreaksTheAnswer() {
        List<HeartbeatReport> heard = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HeartbeatSetup setup = setup().check("e", () -> List.of(CheckMessage.error("x.E1", "e")));
        setup.listeners.add(r -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener bug");
        });
        setup.listeners.add(heard::add);
        Heartbeat hb = setup.build();
        HeartbeatReport first = hb.run();
        HeartbeatReport second = hb.run();
        assertThat(heard).containsExactly(first, second);
        assertThat(heard.get(0).passed()).isFalse();
        assertThat(heard.get(0).level()).isEqualTo(dev.dockerflow.Level.ERROR);
        assertThat(calls.get()).isEqualTo(2);
        // logged at WARNING once, then at DEBUG while it keeps failing
        assertThat(runnerLog.records()).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.FINE);
        assertThat(runnerLog.records().get(0).getThrown()).hasMessage("listener bug");
    }

    @Test
    void durationsComeFromTheInjectedNanoSource() {
        AtomicLong now = new AtomicLong(1_000);
        HeartbeatSetup setup = setup().check("tick", () -> {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(42));
            return List.of();
        });
        setup.nanoTime = now::get;
        HeartbeatReport report = setup.build().run();
        assertThat(result(report, "tick").duration()).isEqualTo(Duration.ofMillis(42));
        assertThat(report.duration()).isEqualTo(Duration.ofMillis(42));
    }

    // --- close and threads --------------------------------------------------------------------

    @Test
    void closeStopsRunningChecksAndLeavesNoThreadOfTheLibraryAlive() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        Set<Thread> checkThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger runs = new AtomicInteger();
        Check blocks = () -> {
            runs.incrementAndGet();
            checkThreads.add(Thread.currentThread());
            started.countDown();
            new CountDownLatch(1).await();
            return List.of();
        };
        Heartbeat hb = setup().check("a", Duration.ofSeconds(30), blocks).check("b", Duration.ofSeconds(30), blocks).build();
        CompletableFuture<HeartbeatReport> inFlight = hb.runAsync();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        hb.close();

        HeartbeatReport answered = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answered.results()).allSatisfy(r -> assertThat(r.messages()).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("Check failed: IllegalStateException: the heartbeat is closed")));
        for (Thread t : checkThreads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("check thread %s", t).isFalse();
        }
        assertThat(hb.executionsInFlight()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("dockerflow-check") || name.startsWith("dockerflow-heartbeat")
                        || name.startsWith("dockerflow-timer"));
        // later heartbeats answer without running anything
        HeartbeatReport after = hb.run();
        assertThat(after.passed()).isFalse();
        assertThat(after.results()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.FAILED));
        assertThat(runs.get()).isEqualTo(2);
        hb.close(); // idempotent
    }

    @Test
    void tenThousandRunsLeaveNoExtraLiveThreads() {
        // virtual threads are not counted by the thread MXBean: count the checks' own entries and exits too
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger entered = new AtomicInteger();
        Heartbeat hb = setup()
                .check("counted", () -> {
                    entered.incrementAndGet();
                    inside.incrementAndGet();
                    try {
                        return List.of();
                    } finally {
                        inside.decrementAndGet();
                    }
                })
                .check("a", List::of)
                .check("b", () -> List.of(CheckMessage.warning("x.W", "w")))
                .check("c", () -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        for (int i = 0; i < 100; i++) {
            hb.run();
        }
        int before = Thread.activeCount();
        long platformBefore = liveThreadCount();
        for (int i = 0; i < 10_000; i++) {
            hb.run();
        }
        // a leak would add thousands; allow for the scheduler adding or retiring a carrier
        assertThat(liveThreadCount()).isLessThanOrEqualTo(platformBefore + 4);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 4);
        // a run's answers come after its checks have returned and freed their slots
        assertThat(hb.executionsInFlight()).isZero();
        assertThat(inside.get()).isZero();
        assertThat(entered.get()).isEqualTo(10_100);
    }

    private static long liveThreadCount() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Captures one java.util.logging logger (the System.Logger backend in tests), away from the console. */
    static final class CheckLog extends Handler implements AutoCloseable {
        private final Logger logger;
        private final Level previousLevel;
        private final boolean previousUseParentHandlers;
        private final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final List<Optional<String>> requestIds = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final BlockingQueue<LogRecord> arrivals = new LinkedBlockingQueue<>();

        CheckLog(String name) {
            logger = Logger.getLogger(name);
            previousLevel = logger.getLevel();
            previousUseParentHandlers = logger.getUseParentHandlers();
            logger.setLevel(Level.ALL);
            logger.setUseParentHandlers(false);
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            // published on the logging thread: what it has bound is what a formatter would stamp
            requestIds.add(RequestId.current());
            threads.add(Thread.currentThread());
            records.add(record);
            arrivals.add(record);
        }

        List<LogRecord> records() {
            return List.copyOf(records);
        }

        List<String> messages() {
            return records.stream().map(LogRecord::getMessage).toList();
        }

        List<LogRecord> recordsAt(Level level) {
            return records.stream().filter(r -> r.getLevel().equals(level)).toList();
        }

        List<String> messagesAt(Level level) {
            return recordsAt(level).stream().map(LogRecord::getMessage).toList();
        }

        List<String> messagesFrom(Level level) {
            return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                    .map(LogRecord::getMessage).toList();
        }

        List<Optional<String>> requestIds() {
            return List.copyOf(requestIds);
        }

        List<Thread> threads() {
            return List.copyOf(threads);
        }

        void clear() {
            records.clear();
            requestIds.clear();
            threads.clear();
            arrivals.clear();
        }

        /** Waits for a record logged off the caller's thread. */
        LogRecord await(java.util.function.Predicate<LogRecord> wanted) throws InterruptedException {
            for (LogRecord r : records) {
                if (wanted.test(r)) {
                    return r;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                LogRecord r = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("no such log record within 10 s; got " + messages());
                }
                if (wanted.test(r)) {
                    return r;
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setLevel(previousLevel);
            logger.setUseParentHandlers(previousUseParentHandlers);
        }
    }
}
