package io.cairn.server.watch;

import static io.cairn.server.apply.KeyspaceModel.bytes;
import static io.cairn.server.apply.KeyspaceModel.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.apply.KeyspaceModel;
import io.cairn.server.apply.RandomRequests;
import io.cairn.server.command.Command;
import io.cairn.server.errors.ServerException;
import io.cairn.server.testing.Trials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Random histories of writes applied several to a raft batch — txns putting several keys, range
 * deletes and lease revokes, so that one revision often holds several events — and compactions,
 * with watchers of random ranges, start revisions, filters and prev_kv created along the way,
 * some on streams whose client stops reading for a while. Every watcher must receive exactly
 * the events {@link KeyspaceModel} computed for its range from its start, in order, with no gap
 * and no repeat, or, if its start was compacted away, the compacted answer.
 */
class WatchPropertyTest {
    /** Revisions with more than one event, over all trials: the histories must make them. */
    private final AtomicLong crowdedRevisions = new AtomicLong();

    /** A transport whose client reads only when the test says so. */
    static final class Client implements WatchStream.Transport {
        final List<WatchResponse> received = new CopyOnWriteArrayList<>();
        volatile boolean reading = true;
        WatchStream stream;

        /** The client reads again, or stops: as gRPC's on-ready handler, resuming drains the stream. */
        void reading(boolean on) {
            reading = on;
            if (on) {
                stream.drain();
            }
        }

        @Override
        public boolean isReady() {
            return reading;
        }

        @Override
        public void send(WatchResponse response) {
            received.add(response);
        }
    }

    /** end: "" for the key alone, "\0" for every key from it, otherwise exclusive. */
    record Watch(String key, String end, long start, boolean noPut, boolean noDelete, boolean prevKv,
                 long compactedAtCreation, Client client) {
        boolean wants(Event e) {
            String k = string(e.getKv().getKey());
            boolean inRange = end.isEmpty() ? k.equals(key)
                    : k.compareTo(key) >= 0 && (end.equals("\0") || k.compareTo(end) < 0);
            return inRange && e.getKv().getModRevision() >= start
                    && !(e.getType() == Event.EventType.PUT ? noPut : noDelete);
        }

        /** An explicit end at or before the key: a range of no key. */
        boolean empty() {
            return !end.isEmpty() && !end.equals("\0") && key.compareTo(end) >= 0;
        }

        @Override
        public String toString() {
            return String.format("watch [\"%s\", \"%s\") from %d%s%s%s", TextFormat.escapeBytes(bytes(key)),
                    TextFormat.escapeBytes(bytes(end)), start, noPut ? " noput" : "",
                    noDelete ? " nodelete" : "", prevKv ? " prev_kv" : "");
        }
    }

    @Test
    void everyWatcherGetsExactlyItsEvents() {
        Trials.run("WatchPropertyTest", 30, random -> {
            Path dir = Files.createTempDirectory("cairn-watch-prop");
            try (Keyspace ks = new Keyspace(dir)) {
                history(random, ks);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        });
        assertThat(crowdedRevisions.get()).as("revisions with several events").isPositive();
    }

    private void history(Random random, Keyspace ks) throws InterruptedException {
        KeyspaceModel model = new KeyspaceModel(42);
        RandomRequests requests = new RandomRequests(random, model);
        WatchHub hub = new WatchHub(ks.store(), h -> h, 1 << 20, 3_600_000);
        ks.onCommitted(hub::notify);
        List<Watch> watches = new ArrayList<>();
        List<Client> slow = new ArrayList<>();
        for (int step = 0; step < 100; step++) {
            int op = random.nextInt(10);
            if (op < 6) {
                batch(ks, model, requests, 1 + random.nextInt(4));
            } else if (op < 9) {
                watches.add(watch(hub, random, requests, model, slow));
            } else {
                for (Client c : slow) {
                    c.reading(random.nextBoolean()); // a slow client catches up with what it missed, or stops again
                }
            }
        }
        for (Client c : slow) {
            c.reading(true);
        }
        settle(hub, watches);
        for (Watch w : watches) {
            check(w, model);
        }
        hub.close();
        model.events().stream().collect(java.util.stream.Collectors.groupingBy(e -> e.getKv().getModRevision(),
                java.util.stream.Collectors.counting())).values().forEach(n -> {
                    if (n > 1) {
                        crowdedRevisions.incrementAndGet();
                    }
                });
    }

    /** Applies the writes the KV server would propose in one batch; the model keeps the reference history. */
    private static void batch(Keyspace ks, KeyspaceModel model, RandomRequests requests, int size) {
        List<Command> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Command c = requests.write();
            try {
                model.check(c);
            } catch (ServerException refused) {
                continue; // never proposed
            }
            batch.add(c);
            try {
                model.apply(c);
            } catch (ServerException e) {
                // refused at apply: changes nothing in the model, and must change nothing in the store
            }
        }
        ks.applyBatch(batch);
        assertThat(ks.store().currentRevision()).as("revision after %s", batch).isEqualTo(model.revision());
    }

    private static Watch watch(WatchHub hub, Random random, RandomRequests requests, KeyspaceModel model,
                               List<Client> slow) {
        Client client = new Client();
        if (random.nextInt(3) == 0) {
            client.reading = false;
            slow.add(client);
        }
        String key = RandomRequests.KEYS.get(random.nextInt(RandomRequests.KEYS.size()));
        String end = requests.end(key);
        long current = model.revision();
        long start = random.nextBoolean() ? 0 : 1 + random.nextInt((int) current + 3); // up to two revisions ahead
        boolean noPut = random.nextInt(5) == 0;
        boolean noDelete = !noPut && random.nextInt(5) == 0;
        boolean prevKv = random.nextInt(5) < 2;
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(bytes(key)).setRangeEnd(bytes(end))
                .setStartRevision(start).setPrevKv(prevKv);
        if (noPut) {
            create.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (noDelete) {
            create.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        WatchStream stream = hub.open(client, r -> null);
        client.stream = stream;
        stream.handle(WatchRequest.newBuilder().setCreateRequest(create).build());
        return new Watch(key, end, start == 0 ? current + 1 : start, noPut, noDelete, prevKv, model.compacted(), client);
    }

    /**
     * Lets the syncer and the streams finish, then drains everything. A busy machine (CI's first
     * minutes) can hold the syncer back for more than a second: it is given 30 s, and a hub that
     * never settles fails here rather than as missing events.
     */
    private static void settle(WatchHub hub, List<Watch> watches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            watches.forEach(w -> w.client().stream.drain());
            if (hub.catchingUp() == 0) {
                return;
            }
            hub.poke();
            Thread.sleep(5);
        }
        throw new AssertionError(hub.catchingUp() + " watchers still catching up after 30 s");
    }

    private static void check(Watch w, KeyspaceModel model) {
        List<WatchResponse> got = w.client().received;
        assertThat(got).as("%s: responses", w).isNotEmpty();
        assertThat(got.get(0).getCreated()).as("%s: first response", w).isTrue();
        if (w.empty()) {
            // etcd's watch stream refuses a range that holds no key, before anything else
            assertThat(got).as("%s: an empty range", w).hasSize(1);
            assertThat(got.get(0).getCanceled()).as("%s: an empty range is refused", w).isTrue();
            assertThat(got.get(0).getCancelReason()).as("%s: refused as etcd words it", w)
                    .isEqualTo("mvcc: watcher range is empty");
            return;
        }
        List<WatchResponse> rest = got.subList(1, got.size());
        if (!rest.isEmpty() && rest.get(rest.size() - 1).getCanceled()) {
            WatchResponse cancel = rest.get(rest.size() - 1);
            assertThat(cancel.getCompactRevision()).as("%s: cancelled only for compaction", w).isPositive();
            assertThat(w.start()).as("%s: cancelled at %d", w, cancel.getCompactRevision())
                    .isLessThan(cancel.getCompactRevision());
            return;
        }
        assertThat(w.start()).as("%s: its start was compacted when it was created", w)
                .isGreaterThanOrEqualTo(w.compactedAtCreation());
        List<Event> expected = model.events().stream().filter(w::wants).toList();
        List<Event> delivered = new ArrayList<>();
        for (WatchResponse r : rest) {
            delivered.addAll(r.getEventsList());
        }
        assertThat(delivered.stream().map(e -> e.toBuilder().clearPrevKv().build()).toList())
                .as("%s: events", w).isEqualTo(expected);
        for (Event e : delivered) {
            KeyValue want = expectedPrev(w, e, model);
            KeyValue prev = e.hasPrevKv() ? e.getPrevKv() : null;
            if (prev != null || want == null || !mayLackPrev(e, model)) {
                assertThat(prev).as("%s: prev_kv of %s", w, e).isEqualTo(want);
            }
        }
    }

    /**
     * etcd's prev_kv: the key as it was at the revision before the event, except for the put
     * that creates a key, which has none (etcd's watch server skips the read for it).
     */
    private static KeyValue expectedPrev(Watch w, Event e, KeyspaceModel model) {
        boolean creates = e.getType() == Event.EventType.PUT && e.getKv().getCreateRevision() == e.getKv().getModRevision();
        if (!w.prevKv() || creates) {
            return null;
        }
        return model.valueAt(e.getKv().getModRevision() - 1, string(e.getKv().getKey()));
    }

    /** etcd gives no prev_kv when the revision before the event was compacted before it was sent. */
    private static boolean mayLackPrev(Event e, KeyspaceModel model) {
        return e.getKv().getModRevision() - 1 < model.compacted();
    }
}
