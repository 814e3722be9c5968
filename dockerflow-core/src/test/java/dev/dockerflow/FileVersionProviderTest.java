package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed version provider against hostile files: huge, blocking, special, changing, not JSON. */
@Timeout(60)
class FileVersionProviderTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ size

    @Test
    void aFiveMegabyteFileIsRefusedAtOnceWithoutBeingOpenedWhateverTheConcurrency() throws Exception {
        Path file = dir.resolve("version.json");
        byte[] big = new byte[5 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        Files.write(file, big);
        CountingAccess access = new CountingAccess(FileVersionProvider.FileAccess.SYSTEM);
        FileVersionProvider provider = new FileVersionProvider(file, FileVersionProvider.DEFAULT_DEADLINE, access);
        assertThatThrownBy(provider::version).isInstanceOf(VersionException.class); // warms up before counting
        long allocatedBefore = totalAllocatedBytes();
        List<Call> calls = callConcurrently(200, provider);
        long allocated = totalAllocatedBytes() - allocatedBefore;
        for (Call call : calls) {
            assertThat(call.failure()).isInstanceOf(VersionException.class)
                    .hasMessageContaining("5242880 bytes, larger than the 1048576 bytes allowed, not read");
            assertThat(call.elapsed()).isLessThan(ONE_SECOND);
        }
        assertThat(access.opens).hasValue(0);
        // Reading the file even once would allocate its 5 MiB; 200 refusals together stay well below.
        System.out.printf("200 concurrent calls for a 5 MiB version.json: %d KiB allocated in all, slowest %d ms%n",
                allocated / 1024, slowest(calls).toMillis());
        assertThat(allocated).isLessThan(big.length);
    }

    @Test
    void aFileThatGrowsPastTheLimitWhileBeingReadIsCutOffAtTheLimit() {
        AtomicInteger bytesHandedOut = new AtomicInteger();
        FileVersionProvider.FileAccess growing = new FileVersionProvider.FileAccess() {
            @Override
            public BasicFileAttributes attributes(Path file) {
                return FakeAttributes.regular(10);
            }

            @Override
            public InputStream open(Path file) {
                return new InputStream() { // endless, like /dev/zero behind a file that claims 10 bytes
                    @Override
                    public int read() {
                        bytesHandedOut.incrementAndGet();
                        return ' ';
                    }
                };
            }
        };
        FileVersionProvider provider = new FileVersionProvider(dir.resolve("version.json"), ONE_SECOND, growing);
        assertThatThrownBy(provider::version).isInstanceOf(VersionException.class)
                .hasMessageContaining("more than the 1048576 bytes allowed, read no further");
        assertThat(bytesHandedOut.get()).isEqualTo(FileVersionProvider.MAX_BYTES + 1);
    }

    @Test
    void aFileOfExactlyOneMebibyteIsRead() throws IOException {
        byte[] json = new byte[FileVersionProvider.MAX_BYTES];
        Arrays.fill(json, (byte) ' ');
        byte[] member = "{\"version\":\"1\"}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(member, 0, json, 0, member.length);
        Path file = Files.write(dir.resolve("version.json"), json);
        assertThat(VersionProvider.fromFile(file).version().orElseThrow().version()).contains("1");
    }

    // ------------------------------------------------------------------ special files

    @Test
    void aFifoIsRefusedAtOnceByManyCallersAndNoThreadIsLeftBlocked() throws Exception {
        Path fifo = mkfifo(dir.resolve("version.json"));
        VersionProvider provider = VersionProvider.fromFile(fifo);
        callConcurrently(10, provider); // starts the helper and the virtual threads' carriers before counting
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Call> calls = callConcurrently(300, provider);
        for (Call call : calls) {
            assertThat(call.failure()).isInstanceOf(VersionException.class)
                    .hasMessageContaining("not a regular file (a FIFO, device or socket), not read");
            assertThat(call.elapsed()).isLessThan(ONE_SECOND);
        }
        System.out.printf("300 concurrent calls for a FIFO version.json: slowest %d ms%n", slowest(calls).toMillis());
        assertThat(threadsBlockedOpeningAFile()).isZero();
        // The callers have ended, and no thread was added for them.
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(threadsBefore);
    }

    @Test
    void aSymbolicLinkToDevZeroIsRefusedAtOnceWithoutBeingOpened() throws Exception {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "/dev/zero exists");
        Path link = Files.createSymbolicLink(dir.resolve("version.json"), zero);
        CountingAccess access = new CountingAccess(FileVersionProvider.FileAccess.SYSTEM);
        FileVersionProvider provider = new FileVersionProvider(link, FileVersionProvider.DEFAULT_DEADLINE, access);
        long start = System.nanoTime();
        assertThatThrownBy(provider::version).isInstanceOf(VersionException.class)
                .hasMessageContaining("not a regular file (a FIFO, device or socket), not read");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ONE_SECOND);
        assertThat(access.opens).hasValue(0);
    }

    @Test
    void aSymbolicLinkToARegularFileIsFollowedAndALinkToNothingIsNoVersion() throws IOException {
        Path target = Files.writeString(dir.resolve("real.json"), "{\"version\":\"linked\"}");
        Path link = Files.createSymbolicLink(dir.resolve("version.json"), target);
        assertThat(VersionProvider.fromFile(link).version().orElseThrow().version()).contains("linked");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("gone.json"));
        assertThat(VersionProvider.fromFile(dangling).version()).isEmpty();
    }

    @Test
    void aFolderIsRefusedNamingWhatItIs() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("version.json"));
        assertThatThrownBy(() -> VersionProvider.fromFile(folder).version()).isInstanceOf(VersionException.class)
                .hasMessageContaining("not a regular file (a directory), not read");
    }

    // ------------------------------------------------------------------ a file system that does not answer

    @Test
    void aFileSystemThatNeverAnswersCostsEachCallerAtMostTheDeadlineAndBlocksOneThread() throws Exception {
        CountDownLatch mountComesBack = new CountDownLatch(1);
        AtomicInteger looks = new AtomicInteger();
        FileVersionProvider.FileAccess staleMount = new FileVersionProvider.FileAccess() {
            @Override
            public BasicFileAttributes attributes(Path file) throws IOException {
                looks.incrementAndGet();
                try {
                    mountComesBack.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return FakeAttributes.regular(20);
            }

            @Override
            public InputStream open(Path file) {
                return new ByteArrayInputStream("{\"version\":\"back\"}".getBytes(StandardCharsets.UTF_8));
            }
        };
        FileVersionProvider provider = new FileVersionProvider(dir.resolve("version.json"),
                Duration.ofMillis(200), staleMount);
        try {
            List<Call> calls = callConcurrently(300, provider);
            for (Call call : calls) {
                assertThat(call.failure()).isInstanceOf(VersionException.class)
                        .hasMessageContaining("the file system");
                assertThat(call.elapsed()).isLessThan(ONE_SECOND);
            }
            System.out.printf("300 concurrent calls while the file system never answers: slowest %d ms%n",
                    slowest(calls).toMillis());
            assertThat(looks).hasValue(1);
            // A caller after the deadline is told too, and starts no second look.
            assertThatThrownBy(provider::version).hasMessageContaining("has not answered for");
            assertThat(looks).hasValue(1);
        } finally {
            mountComesBack.countDown();
        }
        assertThat(eventually(provider).version()).contains("back");
    }

    @Test
    void aFifoSlippedInAfterTheAttributesBlocksOnlyTheHelperAndIsServedOnceWritten() throws Exception {
        Path fifo = mkfifo(dir.resolve("version.json"));
        CountDownLatch readDone = new CountDownLatch(1);
        // The attributes say "regular file" (as they would just before the FIFO took its
        // place), so the helper really opens the FIFO and blocks in the kernel.
        FileVersionProvider.FileAccess racing = new FileVersionProvider.FileAccess() {
            @Override
            public BasicFileAttributes attributes(Path file) {
                return FakeAttributes.regular(18);
            }

            @Override
            public InputStream open(Path file) throws IOException {
                return new FilterInputStream(Files.newInputStream(file)) {
                    @Override
                    public void close() throws IOException {
                        super.close();
                        readDone.countDown();
                    }
                };
            }
        };
        FileVersionProvider provider = new FileVersionProvider(fifo, Duration.ofMillis(200), racing);
        List<Call> calls = callConcurrently(300, provider);
        for (Call call : calls) {
            assertThat(call.failure()).isInstanceOf(VersionException.class).hasMessageContaining("the file system");
            assertThat(call.elapsed()).isLessThan(ONE_SECOND);
        }
        System.out.printf("300 concurrent calls while the helper is blocked opening a FIFO: slowest %d ms%n",
                slowest(calls).toMillis());
        assertThat(threadsBlockedOpeningAFile()).isEqualTo(1);

        try (OutputStream writer = Files.newOutputStream(fifo)) { // releases the blocked open
            writer.write("{\"version\":\"fifo\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(eventually(provider).version()).contains("fifo");
        assertThat(threadsBlockedOpeningAFile()).isZero();
    }

    // ------------------------------------------------------------------ reuse and change

    @Test
    void aThousandCallsReadTheFileOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("version.json"), "{\"version\":\"1.0\"}");
        CountingAccess access = new CountingAccess(FileVersionProvider.FileAccess.SYSTEM);
        FileVersionProvider provider = new FileVersionProvider(file, FileVersionProvider.DEFAULT_DEADLINE, access);
        for (int i = 0; i < 1000; i++) {
            assertThat(provider.version().orElseThrow().version()).contains("1.0");
        }
        assertThat(access.opens).hasValue(1);
        assertThat(access.attributes).hasValue(1000);

        List<Call> calls = callConcurrently(1000, provider);
        assertThat(calls).allSatisfy(call -> assertThat(call.failure()).isNull());
        assertThat(access.opens).hasValue(1);
        System.out.printf("2,000 calls (1,000 in a row, 1,000 at once): %d open, %d looks at the attributes%n",
                access.opens.get(), access.attributes.get());
    }

    @Test
    void aMalformedFileIsParsedOnceToo() throws Exception {
        Path file = Files.writeString(dir.resolve("version.json"), "{\"version\": ");
        CountingAccess access = new CountingAccess(FileVersionProvider.FileAccess.SYSTEM);
        FileVersionProvider provider = new FileVersionProvider(file, FileVersionProvider.DEFAULT_DEADLINE, access);
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(provider::version).isInstanceOf(VersionException.class)
                    .hasMessageContaining("the input ends inside a value");
        }
        assertThat(access.opens).hasValue(1);
    }

    @Test
    void aFailureToReadIsNotKeptButAParseFailureIs() throws IOException {
        Path file = Files.writeString(dir.resolve("version.json"), "{\"version\":\"readable\"}");
        AtomicInteger opens = new AtomicInteger();
        FileVersionProvider.FileAccess deniedOnce = new FileVersionProvider.FileAccess() {
            @Override
            public BasicFileAttributes attributes(Path f) throws IOException {
                return FileVersionProvider.FileAccess.SYSTEM.attributes(f);
            }

            @Override
            public InputStream open(Path f) throws IOException {
                if (opens.incrementAndGet() == 1) { // as before a chmod, which changes neither size nor time
                    throw new java.nio.file.AccessDeniedException(f.toString());
                }
                return FileVersionProvider.FileAccess.SYSTEM.open(f);
            }
        };
        FileVersionProvider provider = new FileVersionProvider(file, FileVersionProvider.DEFAULT_DEADLINE, deniedOnce);
        assertThatThrownBy(provider::version).isInstanceOf(VersionException.class)
                .hasMessageContaining("cannot be read (AccessDeniedException)");
        assertThat(provider.version().orElseThrow().version()).contains("readable");
        assertThat(provider.version().orElseThrow().version()).contains("readable");
        assertThat(opens).hasValue(2);
    }

    @Test
    void aChangedFileIsServedChanged() throws IOException {
        Path file = dir.resolve("version.json");
        Files.writeString(file, "{\"version\":\"1\"}");
        VersionProvider provider = VersionProvider.fromFile(file);
        assertThat(provider.version().orElseThrow().version()).contains("1");

        Files.writeString(file, "{\"version\":\"22\"}"); // another size
        assertThat(provider.version().orElseThrow().version()).contains("22");

        FileTime modified = Files.getLastModifiedTime(file);
        Files.writeString(file, "{\"version\":\"33\"}"); // the same size, written in place
        Files.setLastModifiedTime(file, FileTime.from(modified.toInstant().plusSeconds(1)));
        assertThat(provider.version().orElseThrow().version()).contains("33");

        // The same size and modification time, moved over the old one (how deploys replace it).
        Path next = Files.writeString(dir.resolve("version.json.new"), "{\"version\":\"44\"}");
        Files.setLastModifiedTime(next, Files.getLastModifiedTime(file));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(provider.version().orElseThrow().version()).contains("44");

        Files.delete(file);
        assertThat(provider.version()).isEmpty();
        Files.writeString(file, "not json");
        assertThatThrownBy(provider::version).isInstanceOf(VersionException.class);
        Files.writeString(file, "{\"version\":\"back\"}");
        assertThat(provider.version().orElseThrow().version()).contains("back");
    }

    // ------------------------------------------------------------------ what failures say

    @Test
    @SuppressWarnings("try") // the Quiet scope is opened for its side effect
    void aNonJsonFileGetsAnErrorLineThatQuotesNoneOfItsContent() throws IOException {
        List<String> contents = List.of(
                "root:$y$jFTqwSomeHash$Kp:shadowuser:!:daemonaccount:::\nsvcdeploy:*:nobodyknows::::\n",
                "{\"password\": hunterprecious}",
                "{\"token\": \"unterminatedsecretvalue",
                "{\"apikey\": \"closedfine\"} trailingsecretword",
                "[\"topsecretarray\"]",
                "\"loosesecretstring\"",
                "{\"ctl\": \"tab\tinsidesecretstring\"}",
                "{\"bad\": \"\\qescapedsecret\"}",
                "{\"n\": 12abcsecretnumber}",
                "secretbareword",
                "\u00ff\u00feBINARYsecretbytes\u0000\u0001");
        Path file = dir.resolve("version.json");
        for (String content : contents) {
            Files.write(file, content.getBytes(content.startsWith("\u00ff") ? StandardCharsets.ISO_8859_1
                    : StandardCharsets.UTF_8));
            Dockerflow dockerflow = Dockerflow.builder()
                    .config(DockerflowConfig.builder().environment(java.util.Map.of("APP_DIR", dir.toString())).build())
                    .build();
            try (LogCapture log = LogCapture.of("dockerflow"); Quiet quiet = Quiet.logger("dockerflow")) {
                DockerflowResponse response = TestAnswers.get(dockerflow, "/__version__");
                assertThat(response.status()).as(content).isEqualTo(500);
                List<LogRecord> errors = log.records().stream().filter(r -> r.getLevel().equals(Level.SEVERE)).toList();
                assertThat(errors).as(content).hasSize(1);
                String logged = rendered(errors.get(0));
                for (String word : wordsOf(content)) {
                    assertThat(logged).as("logged for %s", content).doesNotContainIgnoringCase(word);
                }
                assertThat(response.bodyText()).doesNotContain(dir.toString());
                System.out.println("logged: " + logged);
            }
        }
    }

    @Test
    void parseErrorsNameTheKindAndThePosition() {
        assertThatThrownBy(() -> VersionInfo.parse("{\n  \"a\": nope\n}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(VersionException.class)
                .hasMessage("version.json is not valid JSON: a word that is not a JSON value;"
                        + " parsing stopped at line 2, column 13 (byte 14)")
                .hasNoCause();
        assertThatThrownBy(() -> VersionInfo.parse("{\"a\":1} {}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("version.json is not valid JSON: more content after the JSON value;"
                        + " parsing stopped at line 1");
        assertThatThrownBy(() -> VersionInfo.parse("   ".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("version.json must hold a JSON object, found no JSON value (the file is empty or blank)");
        assertThatThrownBy(() -> VersionInfo.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("version.json must hold a JSON object, found a JSON array");
        assertThatThrownBy(() -> VersionInfo.parse("[".repeat(5000).getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("version.json is not valid JSON: a value exceeds the parser's limits");
    }

    @Test
    void anUnreadableFileNamesWhyWithoutItsContent() throws IOException {
        Path file = Files.writeString(dir.resolve("version.json"), "{\"version\":\"secret-unreadable\"}");
        assumeTrue(file.toFile().setReadable(false, false), "the file's permissions can be changed");
        assumeTrue(!Files.isReadable(file), "skipped: this user reads every file (root), so no file is unreadable");
        assertThatThrownBy(() -> VersionProvider.fromFile(file).version()).isInstanceOf(VersionException.class)
                .hasMessageContaining("cannot be read (AccessDeniedException");
    }

    // ------------------------------------------------------------------ helpers

    private record Call(Optional<VersionInfo> version, Throwable failure, Duration elapsed) {
    }

    /** Calls the provider from {@code n} threads released together; returns each call's outcome and duration. */
    private static List<Call> callConcurrently(int n, VersionProvider provider) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Call>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                futures.add(threads.submit(() -> {
                    go.await();
                    long start = System.nanoTime();
                    try {
                        Optional<VersionInfo> v = provider.version();
                        return new Call(v, null, Duration.ofNanos(System.nanoTime() - start));
                    } catch (RuntimeException e) {
                        return new Call(Optional.empty(), e, Duration.ofNanos(System.nanoTime() - start));
                    }
                }));
            }
            go.countDown();
        }
        List<Call> calls = new ArrayList<>();
        for (Future<Call> f : futures) {
            calls.add(f.get());
        }
        return calls;
    }

    private static Duration slowest(List<Call> calls) {
        return calls.stream().map(Call::elapsed).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Asks until the look under way ends; bounded, and each failing ask returns at once. */
    private static VersionInfo eventually(VersionProvider provider) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return provider.version().orElseThrow();
            } catch (VersionException e) {
                last = e;
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no version within 10 s", last);
    }

    /** Threads parked in the kernel opening a file. */
    static long threadsBlockedOpeningAFile() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> Arrays.stream(stack).anyMatch(frame ->
                        frame.getClassName().equals("sun.nio.fs.UnixNativeDispatcher")
                                && frame.getMethodName().startsWith("open")))
                .count();
    }

    private static Path mkfifo(Path path) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: mkfifo is not available: " + e);
            throw e;
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return path;
    }

    private static long totalAllocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** The record's message and every message in its chain of causes (the stack frames are code, not content). */
    private static String rendered(LogRecord record) {
        StringBuilder out = new StringBuilder(record.getMessage());
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            out.append('\n').append(t);
            for (Throwable suppressed : t.getSuppressed()) {
                out.append('\n').append(suppressed);
            }
        }
        return out.toString();
    }

    /** The runs of four or more letters or digits in the content: what a leak would show. */
    private static List<String> wordsOf(String content) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("[A-Za-z0-9]{4,}").matcher(content);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    /** Keeps a logger's records from the console while a test captures them. */
    private record Quiet(java.util.logging.Logger logger, boolean useParentHandlers) implements AutoCloseable {
        static Quiet logger(String name) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            Quiet quiet = new Quiet(logger, logger.getUseParentHandlers());
            logger.setUseParentHandlers(false);
            return quiet;
        }

        @Override
        public void close() {
            logger.setUseParentHandlers(useParentHandlers);
        }
    }

    /** Counts what the provider asks of the file system. */
    private static final class CountingAccess implements FileVersionProvider.FileAccess {
        final AtomicInteger attributes = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        private final FileVersionProvider.FileAccess delegate;

        CountingAccess(FileVersionProvider.FileAccess delegate) {
            this.delegate = delegate;
        }

        @Override
        public BasicFileAttributes attributes(Path file) throws IOException {
            attributes.incrementAndGet();
            return delegate.attributes(file);
        }

        @Override
        public InputStream open(Path file) throws IOException {
            opens.incrementAndGet();
            return delegate.open(file);
        }
    }

    /** Attributes of a regular file that never changes. */
    private record FakeAttributes(long size) implements BasicFileAttributes {
        private static final FileTime MODIFIED = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));

        static FakeAttributes regular(long size) {
            return new FakeAttributes(size);
        }

        @Override
        public FileTime lastModifiedTime() {
            return MODIFIED;
        }

        @Override
        public FileTime lastAccessTime() {
            return MODIFIED;
        }

        @Override
        public FileTime creationTime() {
            return MODIFIED;
        }

        @Override
        public boolean isRegularFile() {
            return true;
        }

        @Override
        public boolean isDirectory() {
            return false;
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public Object fileKey() {
            return "fake";
        }
    }
}
