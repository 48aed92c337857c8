package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.ResponseHeader;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.server.errors.ServerException;
import io.cairn.server.storage.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every watcher of this member. A synced watcher is in step with the store and gets each
 * applied batch's events from {@link #notify}; an unsynced one (it started in the past, or its
 * client fell behind) is caught up from the revision history by the syncer, then rejoins.
 *
 * <p>Watchers of the same key or range form one group, so an event is matched once per group:
 * single keys by hash, ranges by one check per distinct range.
 *
 * <p>The hub owns the revision it has delivered up to: a batch is committed to the store before
 * it reaches {@link #notify}, so the store's revision may be ahead of what watchers were given.
 * Joining, catching up, progress notices and Created headers all use the delivered revision,
 * read under the hub's lock, so no batch falls between a watcher's catch-up and its join, and
 * no header promises a revision whose events are still to come.
 */
public final class WatchHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchHub.class);
    private static final long SYNC_PERIOD_MS = 100;
    private static final int SYNC_EVENTS = 1000;

    private final MvccStore store;
    private final UnaryOperator<ResponseHeader> headers;
    private final int fragmentBytes;
    private final Object lock = new Object();
    private final Map<ByteString, Set<Watcher>> keyGroups = new HashMap<>();
    private final Map<Object, Set<Watcher>> rangeGroups = new LinkedHashMap<>();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();
    private final AtomicBoolean poked = new AtomicBoolean();
    /**
     * The last revision handed to the synced watchers. Written under {@link #lock}; volatile so
     * that a stream may read it while holding its own lock (lock order is hub, then stream).
     */
    private volatile long delivered;
    /** Set once this member stopped serving; guarded by {@link #lock}. */
    private String stopped;
    private final ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-watch-sync");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param headers       completes a response header (ids, term) given its revision
     * @param fragmentBytes how large a response may grow before a fragmenting watcher's is split
     */
    private final AtomicInteger openStreams = new AtomicInteger();

    public WatchHub(MvccStore store, UnaryOperator<ResponseHeader> headers, int fragmentBytes, long progressIntervalMs) {
        this.store = store;
        this.headers = headers;
        this.fragmentBytes = fragmentBytes;
        this.delivered = store.currentRevision();
        syncer.scheduleWithFixedDelay(this::syncAll, SYNC_PERIOD_MS, SYNC_PERIOD_MS, TimeUnit.MILLISECONDS);
        syncer.scheduleWithFixedDelay(this::progress, progressIntervalMs, progressIntervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream for a new client; responses go to {@code transport}.
     *
     * @param denial the reason a create request is refused (sent back as its cancel reason), or
     *               null when it is allowed
     */
    public WatchStream open(WatchStream.Transport transport, Function<WatchCreateRequest, String> denial) {
        openStreams.incrementAndGet();
        return new WatchStream(this, transport, denial);
    }

    /** A stream closed: its watchers are gone already. */
    void streamClosed() {
        openStreams.decrementAndGet();
    }

    /** Watch streams open, for status and tests. */
    public int streams() {
        return openStreams.get();
    }

    /** The revision delivered so far: every event up to it is with its watchers or on their way. */
    long deliveredRevision() {
        return delivered;
    }

    /**
     * Sends {@code stream} a progress notice, under the lock so that no event can overtake it:
     * the revision is the delivered one, or just below the first revision one of the stream's
     * watchers still has to catch up on.
     */
    void requestProgress(WatchStream stream) {
        synchronized (lock) {
            long rev = delivered;
            for (Watcher w : unsynced) {
                if (w.stream == stream) {
                    rev = Math.min(rev, w.nextRevision - 1);
                }
            }
            stream.progressAll(rev);
        }
    }

    ResponseHeader header(long revision) {
        return headers.apply(ResponseHeader.newBuilder().setRevision(revision).build());
    }

    /**
     * Registers {@code w} from {@code startRevision} (0 for "from now"). {@code created} is told
     * the revision for the Created header and sends it before the watcher can get any event.
     */
    void add(Watcher w, long startRevision, java.util.function.LongConsumer created) {
        synchronized (lock) {
            created.accept(delivered);
            if (stopped != null) {
                w.stream.cancelled(w, stopped);
                return;
            }
            if (startRevision <= 0 || startRevision > delivered) {
                w.nextRevision = startRevision <= 0 ? delivered + 1 : startRevision;
                join(w);
                return;
            }
            w.nextRevision = startRevision;
            unsynced.add(w);
        }
        poke();
    }

    void remove(Watcher w) {
        synchronized (lock) {
            unsynced.remove(w);
            leave(w);
        }
    }

    /** Delivers a committed batch's events to the synced watchers. Apply thread, after commit. */
    public void notify(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        long last = events.get(events.size() - 1).getKv().getModRevision();
        synchronized (lock) {
            delivered = last;
            Map<Watcher, List<Event>> out = new LinkedHashMap<>();
            for (Event e : events) {
                ByteString key = e.getKv().getKey();
                // one copy without the previous key-value, shared by every watcher that did not ask for it
                Event bare = e.hasPrevKv() ? e.toBuilder().clearPrevKv().build() : e;
                collect(keyGroups.get(key), e, bare, out);
                for (Set<Watcher> group : rangeGroups.values()) {
                    if (group.iterator().next().matches(key)) {
                        collect(group, e, bare, out);
                    }
                }
            }
            // one header for the batch, shared by every watcher's response; none when nobody watches
            ResponseHeader header = out.isEmpty() ? null : header(last);
            for (Map.Entry<Watcher, List<Event>> delivery : out.entrySet()) {
                Watcher w = delivery.getKey();
                List<Event> mine = delivery.getValue();
                if (w.stream.offerEvents(w, mine, header, fragmentBytes)) {
                    w.nextRevision = last + 1;
                } else {
                    // its client is behind: it catches up from history from the first event it missed
                    w.nextRevision = mine.get(0).getKv().getModRevision();
                    leave(w);
                    unsynced.add(w);
                }
            }
            // Watchers with nothing in this batch keep their mark: it only ever trails events
            // that do not concern them, so a later catch-up from it re-reads but never repeats.
        }
    }

    private static void collect(Set<Watcher> group, Event e, Event bare, Map<Watcher, List<Event>> out) {
        if (group == null) {
            return;
        }
        long rev = e.getKv().getModRevision();
        for (Watcher w : group) {
            if (rev >= w.nextRevision && w.wants(e)) {
                out.computeIfAbsent(w, k -> new ArrayList<>()).add(w.prevKv ? e : bare);
            }
        }
    }

    /**
     * This member stopped serving (its state can no longer be trusted): every watcher is
     * cancelled with {@code reason}, so its client moves to another member.
     */
    public void stopServing(String reason) {
        List<Watcher> all = new ArrayList<>();
        synchronized (lock) {
            stopped = reason;
            keyGroups.values().forEach(all::addAll);
            rangeGroups.values().forEach(all::addAll);
            all.addAll(unsynced);
            for (Watcher w : all) {
                leave(w);
            }
            unsynced.clear();
        }
        all.forEach(w -> w.stream.cancelled(w, reason));
    }

    /** After a raft snapshot replaced the store, every watcher catches up from the new history. */
    public void storeReplaced() {
        synchronized (lock) {
            delivered = store.currentRevision();
            List<Watcher> all = new ArrayList<>();
            keyGroups.values().forEach(all::addAll);
            rangeGroups.values().forEach(all::addAll);
            for (Watcher w : all) {
                leave(w);
                unsynced.add(w);
            }
        }
        poke();
    }

    void poke() {
        if (poked.compareAndSet(false, true)) {
            syncer.execute(() -> {
                poked.set(false);
                syncAll();
            });
        }
    }

    private void syncAll() {
        List<Watcher> pending;
        synchronized (lock) {
            pending = new ArrayList<>(unsynced);
        }
        for (Watcher w : pending) {
            try {
                sync(w);
            } catch (RuntimeException e) {
                log.warn("Catching up watcher {} failed, will retry: {}", w.id, e.toString());
            }
        }
    }

    /** Reads history for one unsynced watcher while its client keeps up; joins it when in step. */
    private void sync(Watcher w) {
        while (w.stream.hasRoom()) {
            long from;
            long current;
            synchronized (lock) {
                current = delivered;
                if (!unsynced.contains(w)) {
                    return;
                }
                if (w.nextRevision > current) {
                    unsynced.remove(w);
                    join(w);
                    return;
                }
                from = w.nextRevision;
            }
            List<Event> read;
            try {
                read = store.history(from, current, w.prevKv, SYNC_EVENTS);
            } catch (ServerException e) {
                // told under the lock, as events are: no one sees the watcher caught up before its end is sent
                synchronized (lock) {
                    unsynced.remove(w);
                    if (e.error() == io.cairn.server.errors.ServerError.COMPACTED) {
                        // its start is gone: etcd's answer is the compacted revision, and the watcher ends
                        w.stream.compacted(w, store.compactedRevision());
                    } else {
                        w.stream.cancelled(w, e.getMessage());
                    }
                }
                return;
            }
            long upTo = read.size() < SYNC_EVENTS || read.isEmpty()
                    ? current : read.get(read.size() - 1).getKv().getModRevision();
            List<Event> mine = new ArrayList<>();
            for (Event e : read) {
                if (w.wants(e)) {
                    mine.add(e);
                }
            }
            synchronized (lock) {
                if (!unsynced.contains(w) || w.nextRevision != from) {
                    return;
                }
                if (!mine.isEmpty() && !w.stream.offerEvents(w, mine, header(upTo), fragmentBytes)) {
                    return;
                }
                w.nextRevision = upTo + 1;
            }
        }
    }

    private void progress() {
        synchronized (lock) {
            long current = delivered;
            for (Set<Watcher> group : keyGroups.values()) {
                group.stream().filter(w -> w.progressNotify).forEach(w -> w.stream.progress(w, current));
            }
            for (Set<Watcher> group : rangeGroups.values()) {
                group.stream().filter(w -> w.progressNotify).forEach(w -> w.stream.progress(w, current));
            }
        }
    }

    private void join(Watcher w) {
        w.synced = true;
        if (w.isRange()) {
            rangeGroups.computeIfAbsent(w.group(), g -> new LinkedHashSet<>()).add(w);
        } else {
            keyGroups.computeIfAbsent(w.key, k -> new LinkedHashSet<>()).add(w);
        }
    }

    private void leave(Watcher w) {
        if (!w.synced) {
            return;
        }
        w.synced = false;
        Map<?, Set<Watcher>> groups = w.isRange() ? rangeGroups : keyGroups;
        Set<Watcher> group = groups.get(w.isRange() ? w.group() : w.key);
        if (group != null) {
            group.remove(w);
            if (group.isEmpty()) {
                groups.remove(w.isRange() ? w.group() : w.key);
            }
        }
    }

    /** Watchers still catching up from history. */
    int catchingUp() {
        synchronized (lock) {
            return unsynced.size();
        }
    }

    /** Watchers registered here, for status and tests. */
    public int size() {
        synchronized (lock) {
            int n = unsynced.size();
            for (Set<Watcher> g : keyGroups.values()) {
                n += g.size();
            }
            for (Set<Watcher> g : rangeGroups.values()) {
                n += g.size();
            }
            return n;
        }
    }

    @Override
    public void close() {
        syncer.shutdownNow();
    }
}
