package io.cairn.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcd.Event;
import io.cairn.api.etcd.KVGrpc;
import io.cairn.api.etcd.PutRequest;
import io.cairn.api.etcd.WatchCreateRequest;
import io.cairn.api.etcd.WatchGrpc;
import io.cairn.api.etcd.WatchRequest;
import io.cairn.api.etcd.WatchResponse;
import io.cairn.server.testing.CairnCluster;
import io.cairn.server.testing.CairnProcess;
import io.cairn.server.testing.OwnedProcesses;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** Watch on real processes: fan-out to a thousand watchers, a stalled client, a leader kill. */
@ExtendWith(OwnedProcesses.class)
class WatchIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** About eight times the README's 250 bytes. */
    private static final long MAX_BYTES_PER_IDLE_WATCHER = 1024;
    /** How late an event may reach a reading watcher while another client is stalled. */
    private static final long MAX_DELIVERY_MS = 1000;

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** One watch stream: its watchers' events, with arrival times; it can stop reading. */
    static final class Stream implements ClientResponseObserver<WatchRequest, WatchResponse> {
        final Map<Long, List<Event>> events = new ConcurrentHashMap<>();
        final Map<Long, Long> arrivals = new ConcurrentHashMap<>(); // revision -> latest arrival (ns)
        final AtomicLong created = new AtomicLong();
        final AtomicBoolean failed = new AtomicBoolean();
        final boolean stalled;
        ClientCallStreamObserver<WatchRequest> requests;

        Stream(boolean stalled) {
            this.stalled = stalled;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
            this.requests = requests;
            if (stalled) {
                requests.disableAutoRequestWithInitial(1); // reads one response, then stops
            }
        }

        @Override
        public void onNext(WatchResponse r) {
            long now = System.nanoTime();
            if (r.getCreated()) {
                created.incrementAndGet();
            }
            for (Event e : r.getEventsList()) {
                events.computeIfAbsent(r.getWatchId(), k -> new CopyOnWriteArrayList<>()).add(e);
                arrivals.merge(e.getKv().getModRevision(), now, Math::max);
            }
        }

        @Override
        public void onError(Throwable t) {
            failed.set(true);
        }

        @Override
        public void onCompleted() {
        }

        void watch(String key, long startRevision) {
            synchronized (this) {
                requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(bytes(key)).setStartRevision(startRevision)).build());
            }
        }

        void resume() {
            requests.request(Integer.MAX_VALUE);
        }

        int eventCount() {
            return events.values().stream().mapToInt(List::size).sum();
        }
    }

    private static Stream open(ManagedChannel ch, boolean stalled) {
        Stream s = new Stream(stalled);
        WatchGrpc.newStub(ch).watch(s);
        return s;
    }

    private static void await(String what, java.util.function.BooleanSupplier done, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aThousandWatchersOfOneKeyEachGetEveryEvent() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            List<ManagedChannel> channels = new ArrayList<>();
            List<Stream> streams = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                ManagedChannel ch = cairn.channel();
                channels.add(ch);
                Stream s = open(ch, false);
                streams.add(s);
                for (int w = 0; w < 100; w++) {
                    s.watch("hot", 0);
                }
            }
            await("1000 watchers created", () -> streams.stream().mapToLong(s -> s.created.get()).sum() == 1000, 30);
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(0));
            long[] ackedAt = new long[100];
            long[] revision = new long[100];
            for (int i = 0; i < 100; i++) {
                revision[i] = kv.put(PutRequest.newBuilder().setKey(bytes("hot")).setValue(bytes("v" + i)).build())
                        .getHeader().getRevision();
                ackedAt[i] = System.nanoTime();
            }
            await("every watcher has all 100 events", () -> streams.stream().mapToInt(Stream::eventCount).sum() == 100_000, 60);
            for (Stream s : streams) {
                for (List<Event> got : s.events.values()) {
                    assertThat(got).extracting(e -> e.getKv().getModRevision())
                            .containsExactly(Arrays.stream(revision).boxed().toArray(Long[]::new));
                }
            }
            double[] latencyMs = new double[100];
            for (int i = 0; i < 100; i++) {
                long lastArrival = 0;
                for (Stream s : streams) {
                    lastArrival = Math.max(lastArrival, s.arrivals.get(revision[i]));
                }
                latencyMs[i] = Math.max(0, (lastArrival - ackedAt[i]) / 1e6);
            }
            Arrays.sort(latencyMs);
            System.out.printf("watch fan-out: put acknowledged -> last of 1000 watchers: p50 %.2f ms, p99 %.2f ms%n",
                    latencyMs[50], latencyMs[98]);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /**
     * The server's heap cost of an idle watcher, measured with jcmd after a full GC. The README
     * gives about 250 bytes; the bound leaves room for GC noise on a shared machine but not for
     * a watcher that holds, say, its own buffer or a copy of its key range per event.
     */
    @Test
    void idleWatchersCostLittleMemory() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            long before = usedHeap(cairn.pid());
            List<ManagedChannel> channels = new ArrayList<>();
            List<Stream> streams = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                ManagedChannel ch = cairn.channel();
                channels.add(ch);
                Stream s = open(ch, false);
                streams.add(s);
                for (int w = 0; w < 1000; w++) {
                    s.watch("config/app-" + (w % 100), 0);
                }
            }
            await("10,000 watchers created", () -> streams.stream().mapToLong(s -> s.created.get()).sum() == 10_000, 60);
            long after = usedHeap(cairn.pid());
            long perWatcher = (after - before) / 10_000;
            System.out.printf("memory: %d bytes of server heap per idle watcher (10,000 watchers on 10 streams)%n",
                    perWatcher);
            assertThat(perWatcher).as("bytes of server heap per idle watcher").isLessThan(MAX_BYTES_PER_IDLE_WATCHER);
            assertThat(streams).noneMatch(s -> s.failed.get());
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /** What {@code jcmd <pid> <command>} prints; it gets 60 s, then it is killed and the test fails. */
    private static String jcmd(Path jcmd, long pid, String command) throws Exception {
        Path out = Files.createTempFile("jcmd", ".out");
        try {
            Process p = OwnedProcesses.own(new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                OwnedProcesses.kill(p);
                throw new AssertionError("jcmd " + command + " did not finish in 60 s: " + Files.readString(out));
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The process's heap in use after a full GC, in bytes, as jcmd reports it. */
    private static long usedHeap(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        jcmd(jcmd, pid, "GC.run");
        String out = jcmd(jcmd, pid, "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no heap figure from jcmd: " + out);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    @Test
    void aStalledClientDelaysNobodyAndCatchesUpWhenItReadsAgain() throws Exception {
        try (CairnProcess cairn = new CairnProcess(dir.resolve("data")).start()) {
            ManagedChannel slowChannel = cairn.channel();
            ManagedChannel fastChannel = cairn.channel();
            Stream slow = open(slowChannel, true);
            slow.watch("big", 0);
            Stream fast = open(fastChannel, false);
            for (int w = 0; w < 5; w++) {
                fast.watch("big", 0);
            }
            await("watchers created", () -> fast.created.get() == 5 && slow.created.get() == 1, 30);
            KVGrpc.KVFutureStub kv = KVGrpc.newFutureStub(fastChannel);
            ByteString value = ByteString.copyFrom(new byte[4096]);
            int puts = 1500; // ~6 MB: far past the stalled client's flow-control window and queue
            List<com.google.common.util.concurrent.ListenableFuture<io.cairn.api.etcd.PutResponse>> acks = new ArrayList<>();
            for (int i = 0; i < puts; i++) {
                acks.add(kv.put(PutRequest.newBuilder().setKey(bytes("big")).setValue(value).build()));
            }
            // pipelined puts may be applied in another order than sent: take the revisions as applied
            List<Long> revisions = new ArrayList<>();
            for (var a : acks) {
                revisions.add(a.get().getHeader().getRevision());
            }
            revisions.sort(null);
            long acked = System.nanoTime();
            await("the other watchers have every event", () -> fast.eventCount() == 5 * puts, 30);
            double fastMs = (System.nanoTime() - acked) / 1e6;
            System.out.printf("stalled client: the others had all %d events %.0f ms after the last put%n", puts, fastMs);
            assertThat(slow.eventCount()).as("the stalled client read nothing").isLessThan(puts);

            // the stalled client's window and queue are full now: each of these puts must still
            // reach the reading watchers promptly, one at a time, not merely all of them eventually
            KVGrpc.KVBlockingStub blocking = KVGrpc.newBlockingStub(fastChannel);
            int more = 50;
            long[] ackedAt = new long[more];
            long[] moreRevisions = new long[more];
            for (int i = 0; i < more; i++) {
                moreRevisions[i] = blocking.withDeadlineAfter(10, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(bytes("big")).setValue(value).build()).getHeader().getRevision();
                ackedAt[i] = System.nanoTime();
                revisions.add(moreRevisions[i]);
            }
            await("the other watchers have the later events", () -> fast.eventCount() == 5 * (puts + more), 30);
            long worstMs = 0;
            for (int i = 0; i < more; i++) {
                // the latest of the five watchers; an event can arrive before its put's ack is read
                long arrived = fast.arrivals.get(moreRevisions[i]);
                worstMs = Math.max(worstMs, TimeUnit.NANOSECONDS.toMillis(Math.max(0, arrived - ackedAt[i])));
            }
            System.out.printf("stalled client: with it stalled, put acknowledged -> last other watcher at most %d ms%n",
                    worstMs);
            assertThat(worstMs).as("delivery to the other watchers while one client is stalled, ms").isLessThan(MAX_DELIVERY_MS);
            assertThat(slow.eventCount()).as("the stalled client still read nothing").isLessThan(puts);

            slow.resume();
            await("the stalled client catches up", () -> slow.eventCount() >= puts + more, 60);
            List<Event> got = slow.events.values().iterator().next();
            assertThat(got).extracting(e -> e.getKv().getModRevision()).as("every revision, in order, once")
                    .containsExactlyElementsOf(revisions);
            slowChannel.shutdownNow();
            fastChannel.shutdownNow();
        }
    }

    @Test
    void aWatcherOnAFollowerSeesEveryRevisionOnceAcrossALeaderKill() throws Exception {
        try (CairnCluster cluster = CairnCluster.start(dir, 3)) {
            CairnProcess leader = cluster.awaitLeader(5_000);
            CairnProcess follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
            CairnProcess writerMember = cluster.members().stream().filter(m -> m != leader && m != follower)
                    .findFirst().orElseThrow();
            ManagedChannel watchChannel = follower.channel();
            ManagedChannel writeChannel = writerMember.channel();
            Stream stream = open(watchChannel, false);
            stream.watch("w/", 0);
            // a prefix watch: range end "w0"
            stream.requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(bytes("w/")).setRangeEnd(bytes("w0"))).build());
            await("watchers created", () -> stream.created.get() == 2, 30);
            List<Long> acked = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(writeChannel);
                for (int i = 0; !stop.get(); i++) {
                    try {
                        acked.add(kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                                .setKey(bytes("w/" + i)).setValue(bytes("v")).build()).getHeader().getRevision());
                    } catch (RuntimeException e) {
                        // ambiguous or failed during the failover: not acknowledged
                    }
                }
            });
            writer.start();
            await("writes before the kill", () -> acked.size() > 200, 30);
            leader.kill();
            cluster.awaitLeader(10_000);
            int before = acked.size();
            await("writes after the kill", () -> acked.size() > before + 200, 30);
            stop.set(true);
            writer.join(15_000);
            long last = acked.get(acked.size() - 1);
            await("the watcher saw the last acknowledged write", () -> stream.events.values().stream()
                    .anyMatch(l -> !l.isEmpty() && l.get(l.size() - 1).getKv().getModRevision() >= last), 30);
            List<Event> prefix = stream.events.values().stream().filter(l -> l.size() > 1).findFirst().orElseThrow();
            List<Long> revisions = prefix.stream().map(e -> e.getKv().getModRevision()).toList();
            for (int i = 1; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).as("in order, no repeats").isGreaterThan(revisions.get(i - 1));
            }
            assertThat(revisions).containsAll(acked);
            // every revision from the first seen is there: puts are the only writes under w/
            assertThat(revisions.get(revisions.size() - 1) - revisions.get(0) + 1).isEqualTo(revisions.size());
            assertThat(stream.failed.get()).isFalse();
            watchChannel.shutdownNow();
            writeChannel.shutdownNow();
        }
    }
}
