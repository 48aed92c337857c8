package io.cairn.server.watch;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KeyValue;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.RequestOp;
import io.cairn.api.etcd.TxnRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchProgressRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.apply.Keyspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watchers join, from now or from the past, while a writer commits single puts, multi-key txns
 * and range deletes. Every watcher must get exactly the events of its range from its start on,
 * once each, in order; a Created header at R means its first event is after R; and a progress
 * notice at P reaches a stream only after every event up to P of its watchers.
 */
class WatchJoinRaceTest {
    private static final long SEED = Long.getLong("cairn.prop.seed", System.nanoTime());
    private static final int WRITES = 1500;
    /** Each watcher from the past re-reads history: bounded, so the test stays a few seconds. */
    private static final int MAX_WATCHERS = 600;

    @TempDir
    Path dir;

    /** What one event says, for comparison: revision, type and key. */
    private record Seen(long revision, Event.EventType type, String key) {
        static Seen of(Event e) {
            return new Seen(e.getKv().getModRevision(), e.getType(), e.getKv().getKey().toStringUtf8());
        }
    }

    /** A stream whose responses are recorded in order; a slow one takes them only now and then. */
    private static final class Client extends RecordingTransport {
        WatchStream stream;
    }

    @Test
    void everyWatcherGetsEveryRevisionOfItsRangeOnceInOrderWhateverItJoinsDuring() throws Exception {
        Random random = new Random(SEED);
        try (Keyspace ks = new Keyspace(dir)) {
            WatchHub hub = new WatchHub(ks.store(), h -> h, 1 << 20, 3_600_000);
            ks.onCommitted(hub::notify);
            List<Seen> history = new CopyOnWriteArrayList<>();
            Thread writer = new Thread(() -> write(ks, new Random(SEED + 1), history), "writer");
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Client c = new Client();
                c.stream = hub.open(c, r -> null);
                clients.add(c);
            }
            Map<Client, List<WatchCreateRequest>> created = new HashMap<>();
            writer.start();
            int watchers = 0;
            while (writer.isAlive() && watchers < MAX_WATCHERS) {
                Client c = clients.get(random.nextInt(clients.size()));
                WatchCreateRequest.Builder r = WatchCreateRequest.newBuilder().setKey(bytes("k"));
                if (random.nextBoolean()) {
                    r.setRangeEnd(bytes("l"));
                } else {
                    r.setKey(bytes("k" + random.nextInt(4)));
                }
                long now = ks.store().currentRevision();
                if (random.nextBoolean() && now > 2) {
                    r.setStartRevision(2 + random.nextInt((int) now - 1));
                }
                synchronized (c) {
                    c.stream.handle(WatchRequest.newBuilder().setCreateRequest(r).build());
                    created.computeIfAbsent(c, k -> new ArrayList<>()).add(r.build());
                }
                watchers++;
                if (random.nextInt(5) == 0) {
                    c.stream.handle(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                }
                Client slow = clients.get(3);
                slow.ready(random.nextInt(3) == 0);
                slow.stream.drain();
                Thread.sleep(0, 500_000);
            }
            writer.join();
            clients.get(3).ready(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (hub.catchingUp() > 0) {
                clients.forEach(c -> c.stream.drain());
                assertThat(System.nanoTime()).as("seed " + SEED + ": watchers still catching up").isLessThan(deadline);
                Thread.sleep(10);
            }
            clients.forEach(c -> c.stream.drain());
            for (Client c : clients) {
                check(c, created.getOrDefault(c, List.of()), history);
            }
            assertThat(watchers).isGreaterThan(50);
            hub.close();
        }
    }

    private static void check(Client c, List<WatchCreateRequest> requests, List<Seen> history) {
        Map<Long, WatchCreateRequest> byId = new HashMap<>();
        Map<Long, Long> start = new HashMap<>();
        Map<Long, List<Seen>> seen = new HashMap<>();
        int nextCreate = 0;
        for (WatchResponse r : c.got) {
            String where = "seed " + SEED + ", watcher " + r.getWatchId();
            if (r.getCreated()) {
                WatchCreateRequest req = requests.get(nextCreate++);
                byId.put(r.getWatchId(), req);
                long from = req.getStartRevision() > 0 ? req.getStartRevision() : r.getHeader().getRevision() + 1;
                start.put(r.getWatchId(), from);
                seen.put(r.getWatchId(), new ArrayList<>());
            } else if (r.getEventsCount() > 0) {
                assertThat(seen).as(where + ": events before Created").containsKey(r.getWatchId());
                r.getEventsList().forEach(e -> seen.get(r.getWatchId()).add(Seen.of(e)));
            } else if (r.getWatchId() == -1) {
                long progress = r.getHeader().getRevision();
                for (long id : seen.keySet()) { // every watcher of the stream has all up to here
                    List<Seen> due = expected(byId.get(id), start.get(id), history).stream()
                            .filter(s -> s.revision() <= progress).toList();
                    List<Seen> got = seen.get(id);
                    assertThat(got.subList(0, Math.min(due.size(), got.size())))
                            .as("seed " + SEED + ": progress " + progress + " overtook events of watcher " + id)
                            .isEqualTo(due);
                }
            }
        }
        for (Map.Entry<Long, List<Seen>> w : seen.entrySet()) {
            List<Seen> want = expected(byId.get(w.getKey()), start.get(w.getKey()), history);
            assertThat(w.getValue()).as("seed " + SEED + ": watcher " + w.getKey() + " from " + start.get(w.getKey()))
                    .containsExactlyElementsOf(want);
        }
    }

    private static List<Seen> expected(WatchCreateRequest r, long from, List<Seen> history) {
        String key = r.getKey().toStringUtf8();
        boolean range = !r.getRangeEnd().isEmpty();
        return history.stream().filter(s -> s.revision() >= from)
                .filter(s -> range ? s.key().startsWith("k") : s.key().equals(key)).toList();
    }

    /** Single puts, txns of several puts, and range deletes; records what each one did. */
    private static void write(Keyspace ks, Random random, List<Seen> history) {
        for (int i = 0; i < WRITES; i++) {
            int shape = random.nextInt(10);
            if (shape < 5) {
                String k = "k" + random.nextInt(6);
                long rev = ks.put(k, "v" + i);
                history.add(new Seen(rev, Event.EventType.PUT, k));
            } else if (shape < 9) {
                TxnRequest.Builder t = TxnRequest.newBuilder();
                List<String> keys = new ArrayList<>(List.of("k0", "k1", "k2", "k3", "k4", "k5"));
                java.util.Collections.shuffle(keys, random);
                List<String> mine = keys.subList(0, 2 + random.nextInt(3));
                mine.forEach(k -> t.addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes("t")))));
                long rev = ks.txn(t.build()).getHeader().getRevision();
                mine.forEach(k -> history.add(new Seen(rev, Event.EventType.PUT, k)));
            } else {
                var resp = ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("k3"))
                        .setPrevKv(true).build());
                for (KeyValue prev : resp.getPrevKvsList()) {
                    history.add(new Seen(resp.getHeader().getRevision(), Event.EventType.DELETE, prev.getKey().toStringUtf8()));
                }
            }
        }
    }
}
