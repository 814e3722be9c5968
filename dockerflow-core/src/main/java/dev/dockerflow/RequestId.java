package dev.dockerflow;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request IDs: validated from the request header, made up otherwise, and readable by
 * application code while the request runs.
 *
 * <p>A received ID is accepted when it is 1 to 128 characters of
 * {@code A-Z a-z 0-9 - _ . : = / + ; , @}, so W3C {@code traceparent}, AWS
 * {@code X-Amzn-Trace-Id} and GCP {@code X-Cloud-Trace-Context} values are kept; anything
 * else (empty, too long, spaces, quotes, angle brackets, control characters, non-ASCII) is
 * replaced by a new random UUID, and the reason is logged at DEBUG on the
 * {@code dockerflow.requestid} logger. Adapters bind the ID to
 * the thread that handles the request with {@link #bind(String)}; application code
 * reads it with {@link #current()}; the binding is removed when the request ends, so
 * it never leaks to the next request on the same thread.
 *
 * <p>Thread-safe: each thread sees only the ID bound on it.
 */
public final class RequestId {

    /** The default header name, {@code X-Request-ID}. */
    public static final String DEFAULT_HEADER = "X-Request-ID";

    /** The longest ID accepted from a client. */
    public static final int MAX_LENGTH = 128;

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();
    private static final System.Logger LOGGER = System.getLogger("dockerflow.requestid");

    private RequestId() {
    }

    /**
     * Whether a received value is acceptable as a request ID.
     *
     * @param candidate the header value; may be {@code null}
     * @return {@code true} when it is 1 to 128 characters of {@code A-Z a-z 0-9 - _ . : = / + ; , @}
     */
    public static boolean isValid(String candidate) {
        return rejection(candidate) == null;
    }

    /** Why a received value is not acceptable, or {@code null} when it is. */
    private static String rejection(String candidate) {
        if (candidate == null) {
            return "absent";
        }
        if (candidate.isEmpty()) {
            return "empty";
        }
        if (candidate.length() > MAX_LENGTH) {
            return candidate.length() + " characters, more than " + MAX_LENGTH;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!allowed(c)) {
                return String.format("character U+%04X at index %d is not one of A-Z a-z 0-9 - _ . : = / + ; , @", (int) c, i);
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == ':' || c == '=' || c == '/' || c == '+' || c == ';'
                || c == ',' || c == '@';
    }

    /**
     * The received value when it is valid, else a new random UUID. A value that was
     * received but replaced is logged at DEBUG with the reason (never the value itself).
     *
     * @param received the header value; may be {@code null}
     * @return the request ID to use
     */
    public static String resolve(String received) {
        String why = rejection(received);
        if (why == null) {
            return received;
        }
        String id = generate();
        if (received != null && LOGGER.isLoggable(System.Logger.Level.DEBUG)) {
            LOGGER.log(System.Logger.Level.DEBUG, "Received request ID replaced by " + id + ": " + why);
        }
        return id;
    }

    /**
     * A new random request ID: a version-4 UUID in its usual text form.
     *
     * <p>Its bits come from {@link ThreadLocalRandom}, not {@code SecureRandom}: a request
     * ID correlates log lines and is no secret, and this runs on every request that
     * arrives without one, where the shared {@code SecureRandom} behind
     * {@link UUID#randomUUID()} was a measurable cost.
     *
     * @return a random UUID in its usual text form
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /**
     * The ID of the request the current thread is handling.
     *
     * @return the ID, or empty outside a request
     */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Makes {@code id} the current thread's request ID until the returned scope is
     * closed; closing clears it. Requests do not nest on a thread, so nothing is
     * restored: a scope that could not be closed on its thread (an asynchronous request
     * that finished elsewhere) leaves its ID only until the next request on that thread
     * binds and clears its own. For adapters.
     *
     * @param id the request ID
     * @return the scope to close when the request ends on this thread
     */
    public static Scope bind(String id) {
        CURRENT.set(java.util.Objects.requireNonNull(id, "id"));
        Thread owner = Thread.currentThread();
        return () -> {
            if (Thread.currentThread() == owner) {
                CURRENT.remove();
            }
        };
    }

    /** Binds {@code id} to the current thread, for {@link ActiveRequest}, which clears it on its own thread. */
    static void set(String id) {
        CURRENT.set(id);
    }

    /**
     * Clears the current thread's request ID. The thread keeps its slot for the next request
     * (a value of {@code null}, held for a thread-local that the thread refers to only weakly),
     * so binding the next one allocates nothing.
     */
    static void clear() {
        CURRENT.set(null);
    }

    /** A request ID bound to a thread; {@link #close()} unbinds it on that thread. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        /** Clears the thread's request ID; does nothing on another thread. */
        @Override
        void close();
    }
}
