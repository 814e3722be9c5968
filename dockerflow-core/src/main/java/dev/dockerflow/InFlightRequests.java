package dev.dockerflow;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The requests started and not yet summarized, so that closing can summarize the ones the
 * server gave up on at shutdown (contract section 4: every request gets its line). Each
 * request is held weakly: one that its adapter dropped without completing it (a framework
 * that lost the connection and said nothing) is collected, not kept for ever. The cost per
 * request is one small allocation and one add and remove on a concurrent set. Thread-safe.
 */
final class InFlightRequests {

    /** One tracked request; removed when its summary is written, or collected with it. */
    static final class Entry extends WeakReference<ActiveRequest> {
        /**
         * The entry's hash in the set, drawn at random: an object's identity hash is computed
         * and stored on first use, which costs more than the set's own work.
         */
        private final int hash = ThreadLocalRandom.current().nextInt();

        private Entry(ActiveRequest request, ReferenceQueue<ActiveRequest> queue) {
            super(request, queue);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** Identity, as for any reference: two entries are equal only when they are the same entry. */
        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }

    private final Set<Reference<?>> entries = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<ActiveRequest> collected = new ReferenceQueue<>();
    private volatile boolean closed;

    /**
     * Tracks a request until {@link #remove(Entry)}.
     *
     * @return its entry, or {@code null} once closed: requests that start afterwards summarize themselves
     */
    Entry add(ActiveRequest request) {
        forgetCollected();
        if (closed) {
            return null;
        }
        Entry entry = new Entry(request, collected);
        entries.add(entry);
        return entry;
    }

    /** Stops tracking a request whose summary is written. */
    void remove(Entry entry) {
        if (entry != null) {
            entries.remove(entry);
            entry.clear();
        }
    }

    /** Requests the garbage collector found abandoned; their entries go. */
    private void forgetCollected() {
        for (Reference<?> gone = collected.poll(); gone != null; gone = collected.poll()) {
            entries.remove(gone);
        }
    }

    /**
     * Stops tracking new requests and returns the ones still in flight.
     *
     * @return the requests not yet summarized
     */
    List<ActiveRequest> close() {
        closed = true;
        forgetCollected();
        List<ActiveRequest> inFlight = new ArrayList<>();
        for (Reference<?> entry : entries) {
            if (entry.get() instanceof ActiveRequest request) {
                inFlight.add(request);
            }
        }
        return inFlight;
    }

    /** How many requests are tracked, for tests. */
    int size() {
        forgetCollected();
        return entries.size();
    }
}
