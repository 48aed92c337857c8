package io.cairn.server.watch;

import static io.cairn.server.apply.Keyspace.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.DeleteRangeRequest;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.apply.Keyspace;
import io.cairn.server.errors.ServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random histories of puts, deletes and compactions, with watchers of random ranges, start
 * revisions and filters created along the way, some on streams whose client stops reading for
 * a while: every watcher receives exactly the events of its range from its start, in revision
 * order, with no gap and no repeat — or, if its start was compacted away, the compacted answer.
 */
class WatchPropertyTest {
    private static final String[] KEYS = {"a", "ab", "b", "ba", "c"};

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

    record Watch(long id, String key, String end, long start, boolean noPut, boolean noDelete, Client client) {
        boolean wants(Event e) {
            String k = e.getKv().getKey().toStringUtf8();
            boolean inRange = end == null ? k.equals(key) : k.compareTo(key) >= 0 && (end.isEmpty() || k.compareTo(end) < 0);
            return inRange && !(e.getType() == Event.EventType.PUT ? noPut : noDelete);
        }
    }

    @Property(tries = 60)
    void everyWatcherGetsExactlyItsEvents(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Path dir = Files.createTempDirectory("cairn-watch-prop");
        List<Event> history = new ArrayList<>();
        try (Keyspace ks = new Keyspace(dir)) {
            WatchHub hub = new WatchHub(ks.store(), h -> h, 1 << 20, 3_600_000);
            ks.onCommitted(events -> {
                history.addAll(events);
                hub.notify(events);
            });
            List<Watch> watches = new ArrayList<>();
            List<Client> slow = new ArrayList<>();
            for (int step = 0; step < 120; step++) {
                int op = random.nextInt(10);
                String key = KEYS[random.nextInt(KEYS.length)];
                if (op < 5) {
                    ks.put(key, "v" + step);
                } else if (op < 6) {
                    ks.delete(DeleteRangeRequest.newBuilder().setKey(bytes(key)).build());
                } else if (op < 7) {
                    long at = 1 + random.nextInt((int) ks.store().currentRevision());
                    try {
                        ks.compact(at);
                    } catch (ServerException e) {
                        // at or below the last compaction: nothing to do
                    }
                } else if (op < 9) {
                    watches.add(watch(hub, random, key, ks.store().currentRevision(), slow));
                } else {
                    // a slow client catches up with what it missed
                    for (Client c : slow) {
                        c.reading(random.nextBoolean());
                    }
                }
            }
            for (Client c : slow) {
                c.reading(true);
            }
            settle(hub, watches);
            for (Watch w : watches) {
                check(w, history, ks.store().compactedRevision());
            }
            hub.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Watch watch(WatchHub hub, Random random, String key, long current, List<Client> slow) {
        Client client = new Client();
        if (random.nextInt(3) == 0) {
            client.reading = false;
            slow.add(client);
        }
        String end = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> "";
            default -> KEYS[random.nextInt(KEYS.length)];
        };
        long start = random.nextBoolean() ? 0 : 1 + random.nextInt((int) current + 3); // up to two revisions ahead
        boolean noPut = random.nextInt(5) == 0;
        boolean noDelete = !noPut && random.nextInt(5) == 0;
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(bytes(key)).setStartRevision(start);
        if (end != null) {
            create.setRangeEnd(end.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : bytes(end));
        }
        if (noPut) {
            create.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (noDelete) {
            create.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        WatchStream stream = hub.open(client, r -> null);
        client.stream = stream;
        stream.handle(WatchRequest.newBuilder().setCreateRequest(create).build());
        long effectiveStart = start == 0 ? current + 1 : start;
        return new Watch(0, key, end, effectiveStart, noPut, noDelete, client);
    }

    /** Lets the syncer and the streams finish, then drains everything. */
    private static void settle(WatchHub hub, List<Watch> watches) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            watches.forEach(w -> w.client().stream.drain());
            if (hub.catchingUp() == 0) {
                return;
            }
            hub.poke();
            Thread.sleep(5);
        }
    }

    private static void check(Watch w, List<Event> history, long compacted) {
        List<WatchResponse> got = w.client().received;
        assertThat(got).isNotEmpty();
        assertThat(got.get(0).getCreated()).isTrue();
        List<WatchResponse> rest = got.subList(1, got.size());
        if (!rest.isEmpty() && rest.get(rest.size() - 1).getCanceled()) {
            WatchResponse cancel = rest.get(rest.size() - 1);
            assertThat(cancel.getCompactRevision()).as("cancelled only for compaction").isPositive();
            assertThat(w.start()).isLessThan(cancel.getCompactRevision());
            return;
        }
        List<Event> expected = new ArrayList<>();
        for (Event e : history) {
            if (e.getKv().getModRevision() >= w.start() && w.wants(e)) {
                expected.add(e.toBuilder().clearPrevKv().build());
            }
        }
        List<Event> delivered = new ArrayList<>();
        for (WatchResponse r : rest) {
            for (Event e : r.getEventsList()) {
                delivered.add(e.toBuilder().clearPrevKv().build());
            }
        }
        assertThat(delivered).as("watch %s..%s from %d", w.key(), w.end(), w.start()).isEqualTo(expected);
    }
}
